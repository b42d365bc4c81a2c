/*
 * The Lambda handler of the Cloud Map service lookup (a CloudFormation custom resource). It runs in the
 * Lambda Node.js runtime, which provides the AWS SDK for JavaScript v3: nothing is bundled with it, and the
 * library never loads this file itself (it ships it as the function's code asset).
 *
 * ECS creates one Cloud Map service per Service Connect endpoint, named after the endpoint's discovery name,
 * in the service's namespace, and CloudFormation returns neither its id nor its ARN. The handler lists the
 * namespace's services (ListServices with a NAMESPACE_ID filter, every page) and returns the one with that
 * name. ECS may still be creating it: the handler then tries again, waiting longer each time, until the
 * function is about to time out. On delete it does nothing: the service belongs to ECS.
 */
import * as https from 'https';
// The Lambda runtime provides the SDK; the package only builds against its types (a development dependency).
// eslint-disable-next-line import/no-extraneous-dependencies
import { ListServicesCommand, ListServicesCommandOutput, ServiceDiscoveryClient } from '@aws-sdk/client-servicediscovery';

/** The custom resource's properties, as CloudFormation sends them (strings). */
export interface LookupProperties {
  readonly NamespaceId: string;
  readonly DiscoveryName: string;
}

/** The part of a CloudFormation custom resource request the handler reads. */
export interface LookupEvent {
  readonly RequestType: 'Create' | 'Update' | 'Delete';
  readonly ResponseURL: string;
  readonly StackId: string;
  readonly RequestId: string;
  readonly LogicalResourceId: string;
  readonly PhysicalResourceId?: string;
  readonly ResourceProperties: LookupProperties;
}

/** The part of the Lambda context the handler reads. */
export interface LookupContext {
  readonly logStreamName?: string;
  getRemainingTimeInMillis(): number;
}

/** What the handler needs of the Cloud Map client: sending a ListServices command. */
export interface LookupClient {
  send(command: ListServicesCommand): Promise<ListServicesCommandOutput>;
}

/** The Cloud Map service found: the custom resource's attributes. */
export interface FoundService {
  readonly Arn: string;
  readonly Id: string;
  readonly Name: string;
}

/** How long to keep trying, and how to wait. */
export interface RetryOptions {
  /** Stop trying when fewer milliseconds than this are left. */
  readonly deadline: () => number;
  /** First wait, in milliseconds; each later wait doubles, up to `maxDelayMs`. */
  readonly firstDelayMs: number;
  readonly maxDelayMs: number;
  readonly sleep: (ms: number) => Promise<void>;
}

/** The service named `name` in the namespace, reading every page; undefined when there is none (yet). */
export async function findService(client: LookupClient, namespaceId: string, name: string): Promise<FoundService | undefined> {
  let nextToken: string | undefined;
  do {
    const page = await client.send(new ListServicesCommand({
      Filters: [{ Name: 'NAMESPACE_ID', Values: [namespaceId], Condition: 'EQ' }],
      NextToken: nextToken,
    }));
    const found = (page.Services ?? []).find((service) => service.Name === name);
    if (found?.Arn && found.Id) {
      return { Arn: found.Arn, Id: found.Id, Name: name };
    }
    nextToken = page.NextToken;
  } while (nextToken);
  return undefined;
}

/** Looks the service up until it appears or time runs out; throws a message that names what was searched. */
export async function lookUp(client: LookupClient, props: LookupProperties, retry: RetryOptions): Promise<FoundService> {
  if (!props?.NamespaceId || !props.DiscoveryName) {
    throw new Error(`the lookup needs NamespaceId and DiscoveryName (found: ${JSON.stringify(props ?? {})})`);
  }
  let delay = retry.firstDelayMs;
  let attempts = 0;
  for (;;) {
    attempts++;
    const found = await findService(client, props.NamespaceId, props.DiscoveryName);
    if (found) {
      return found;
    }
    if (retry.deadline() < delay) {
      throw new Error(`no Cloud Map service named '${props.DiscoveryName}' in namespace ${props.NamespaceId} after ${attempts} attempts. `
        + 'ECS creates it for the Service Connect endpoint with that discovery name: check that the ECS service has that endpoint and runs in this namespace');
    }
    await retry.sleep(delay);
    delay = Math.min(delay * 2, retry.maxDelayMs);
  }
}

/** What the handler answers CloudFormation. */
export interface LookupResponse {
  readonly Status: 'SUCCESS' | 'FAILED';
  readonly Reason?: string;
  readonly PhysicalResourceId: string;
  readonly Data?: FoundService;
}

/** Handles one request: a lookup on create and update, nothing on delete. Never throws. */
export async function respondTo(event: LookupEvent, client: LookupClient, retry: RetryOptions): Promise<LookupResponse> {
  if (event.RequestType === 'Delete') {
    // The Cloud Map service is ECS's: deleting the lookup leaves it alone.
    return { Status: 'SUCCESS', PhysicalResourceId: event.PhysicalResourceId ?? event.LogicalResourceId };
  }
  try {
    const found = await lookUp(client, event.ResourceProperties, retry);
    return { Status: 'SUCCESS', PhysicalResourceId: found.Arn, Data: found };
  } catch (e) {
    return {
      Status: 'FAILED',
      Reason: (e instanceof Error ? e.message : String(e)).slice(0, 3000),
      PhysicalResourceId: event.PhysicalResourceId ?? event.LogicalResourceId,
    };
  }
}

/** Sends the response to the pre-signed URL CloudFormation gave. */
function send(event: LookupEvent, response: LookupResponse): Promise<void> {
  const body = JSON.stringify({
    ...response,
    StackId: event.StackId,
    RequestId: event.RequestId,
    LogicalResourceId: event.LogicalResourceId,
  });
  return new Promise((resolve, reject) => {
    const request = https.request(event.ResponseURL, {
      method: 'PUT',
      headers: { 'content-type': '', 'content-length': Buffer.byteLength(body) },
    }, (res) => {
      res.resume();
      res.on('end', () => resolve());
    });
    request.on('error', reject);
    request.end(body);
  });
}

/** Milliseconds kept in reserve to answer CloudFormation before the function times out. */
const RESERVE_MS = 20_000;

/** The Lambda entry point. */
export async function handler(event: LookupEvent, context: LookupContext): Promise<void> {
  const client = new ServiceDiscoveryClient({});
  const response = await respondTo(event, client, {
    deadline: () => context.getRemainingTimeInMillis() - RESERVE_MS,
    firstDelayMs: 2_000,
    maxDelayMs: 30_000,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  });
  console.log(JSON.stringify({
    request: event.RequestType, logicalResourceId: event.LogicalResourceId, status: response.Status, reason: response.Reason, data: response.Data,
  }));
  await send(event, response);
}
