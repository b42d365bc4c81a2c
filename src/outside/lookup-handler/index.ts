/*
 * The Lambda handler of the Cloud Map service lookup (a CloudFormation custom resource). It runs in the
 * Lambda Node.js runtime, which provides the AWS SDK for JavaScript v3: nothing is bundled with it, and the
 * library never loads this file itself (it ships it as the function's code asset).
 *
 * ECS creates one Cloud Map service per Service Connect endpoint, named after the endpoint's discovery name,
 * and CloudFormation returns neither its id nor its ARN. ECS itself does: DescribeServices on the one ECS
 * service lists, for each deployment, its Service Connect resources, each a discovery name and the ARN of
 * the Cloud Map service that matches it (ServiceConnectServiceResource in the ECS API reference). The
 * handler asks for the one ECS service only, so its role needs `ecs:DescribeServices` on that service's ARN
 * and nothing wider (Cloud Map's ListServices takes no resource-level permission: it would need `*`).
 *
 * It takes the resource of the PRIMARY deployment, the one ECS is moving the service to, and falls back to
 * any other deployment that has it (ACTIVE first): a discovery name names the same Cloud Map service in
 * every deployment of a service in one namespace. ECS may still be creating the service or its deployment:
 * the handler then tries again, waiting longer each time, until the function is about to time out. On
 * delete it does nothing: the Cloud Map service belongs to ECS.
 */
import * as https from 'https';
// The Lambda runtime provides the SDK; the package only builds against its types (a development dependency).
// eslint-disable-next-line import/no-extraneous-dependencies
import { DescribeServicesCommand, DescribeServicesCommandOutput, ECSClient } from '@aws-sdk/client-ecs';

/** The custom resource's properties, as CloudFormation sends them (strings). */
export interface LookupProperties {
  /** ARN of the cluster the ECS service runs in. */
  readonly Cluster: string;
  /** ARN of the ECS service. */
  readonly EcsService: string;
  readonly DiscoveryName: string;
  /** The namespace's id: not read, it only makes CloudFormation look the service up again when the namespace changes. */
  readonly NamespaceId?: string;
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

/** What the handler needs of the ECS client: sending a DescribeServices command. */
export interface LookupClient {
  send(command: DescribeServicesCommand): Promise<DescribeServicesCommandOutput>;
}

/** The Cloud Map service found: the custom resource's attributes. */
export interface FoundService {
  readonly Arn: string;
  readonly Id: string;
  readonly Name: string;
}

/** One try: the service found, or what the ECS service showed instead (for the message when time runs out). */
export type Attempt = { readonly found: FoundService } | { readonly seen: string };

/** How long to keep trying, and how to wait. */
export interface RetryOptions {
  /** Stop trying when fewer milliseconds than this are left. */
  readonly deadline: () => number;
  /** First wait, in milliseconds; each later wait doubles, up to `maxDelayMs`. */
  readonly firstDelayMs: number;
  readonly maxDelayMs: number;
  readonly sleep: (ms: number) => Promise<void>;
}

/** The Cloud Map service id: the last segment of its ARN (`arn:<partition>:servicediscovery:<region>:<account>:service/srv-<id>`). */
function serviceIdOf(arn: string): string | undefined {
  const id = /:service\/([^/:]+)$/.exec(arn)?.[1];
  return id || undefined;
}

/** Describes the ECS service once and picks the Service Connect resource named `name`: the PRIMARY deployment's, else another's. */
export async function findService(client: LookupClient, props: LookupProperties): Promise<Attempt> {
  const output = await client.send(new DescribeServicesCommand({ cluster: props.Cluster, services: [props.EcsService] }));
  const service = output.services?.[0];
  if (!service) {
    const failures = (output.failures ?? []).map((f) => `${f.reason ?? 'no reason'}${f.detail ? ` (${f.detail})` : ''}`);
    return { seen: `no ECS service described${failures.length > 0 ? `: ${failures.join('; ')}` : ''}` };
  }
  const deployments = service.deployments ?? [];
  // PRIMARY first, then ACTIVE, then the rest, each group in ECS's order.
  const rank = (status?: string) => (status === 'PRIMARY' ? 0 : status === 'ACTIVE' ? 1 : 2);
  const ordered = deployments.map((d, i) => ({ d, i })).sort((a, b) => rank(a.d.status) - rank(b.d.status) || a.i - b.i).map(({ d }) => d);
  for (const deployment of ordered) {
    const resource = (deployment.serviceConnectResources ?? []).find((r) => r.discoveryName === props.DiscoveryName);
    const id = resource?.discoveryArn ? serviceIdOf(resource.discoveryArn) : undefined;
    if (resource?.discoveryArn && id) {
      return { found: { Arn: resource.discoveryArn, Id: id, Name: props.DiscoveryName } };
    }
  }
  const seen = deployments.map((d) => `${d.status ?? 'deployment'} ${d.id ?? ''}`.trim() + ': '
    + ((d.serviceConnectResources ?? []).map((r) => `'${r.discoveryName}'`).join(', ') || 'no Service Connect resources'));
  return { seen: `status ${service.status ?? 'unknown'}, ${seen.length > 0 ? `deployments ${seen.join('; ')}` : 'no deployments'}` };
}

/** Looks the service up until it appears or time runs out; throws a message that names what was searched. */
export async function lookUp(client: LookupClient, props: LookupProperties, retry: RetryOptions): Promise<FoundService> {
  if (!props?.Cluster || !props.EcsService || !props.DiscoveryName) {
    throw new Error(`the lookup needs Cluster, EcsService and DiscoveryName (found: ${JSON.stringify(props ?? {})})`);
  }
  let delay = retry.firstDelayMs;
  let attempts = 0;
  for (;;) {
    attempts++;
    const attempt = await findService(client, props);
    if ('found' in attempt) {
      return attempt.found;
    }
    if (retry.deadline() < delay) {
      throw new Error(`no Service Connect resource with discovery name '${props.DiscoveryName}' on ECS service ${props.EcsService} `
        + `(cluster ${props.Cluster}) after ${attempts} attempts; last seen: ${attempt.seen}. ECS creates the Cloud Map service for the `
        + 'Service Connect endpoint with that discovery name: check that the ECS service has that endpoint and that its deployment succeeded');
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
  const client = new ECSClient({});
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
