import * as https from 'https';
import { DescribeServicesCommand, ECSClient } from '@aws-sdk/client-ecs';
import { findService, handler, LookupEvent, lookUp, respondTo, RetryOptions } from '../../src/outside/lookup-handler';

/*
 * The lookup's handler with the SDK mocked: the ECS client's `send` answers DescribeServices from scripted
 * descriptions of the one ECS service, and the response to CloudFormation goes to a mocked https request.
 */

jest.mock('@aws-sdk/client-ecs', () => {
  const actual = jest.requireActual('@aws-sdk/client-ecs');
  return { ...actual, ECSClient: jest.fn() };
});
jest.mock('https', () => ({ request: jest.fn() }));

type Resource = { discoveryName?: string; discoveryArn?: string };
type Deployment = { id?: string; status?: string; serviceConnectResources?: Resource[] };
type Description = {
  services?: Array<{ status?: string; deployments?: Deployment[] }>;
  failures?: Array<{ arn?: string; reason?: string; detail?: string }>;
};

const CLUSTER = 'arn:aws:ecs:us-east-1:111111111111:cluster/Shop';
const ECS_SERVICE = 'arn:aws:ecs:us-east-1:111111111111:service/Shop/Api';
const arnOf = (id: string) => `arn:aws:servicediscovery:us-east-1:111111111111:service/${id}`;
const resource = (name: string, id: string): Resource => ({ discoveryName: name, discoveryArn: arnOf(id) });
const deployment = (status: string, ...resources: Resource[]): Deployment => ({ id: `ecs-svc/${status.toLowerCase()}`, status, serviceConnectResources: resources });
/** The ECS service, ACTIVE, with these deployments. */
const described = (...deployments: Deployment[]): Description => ({ services: [{ status: 'ACTIVE', deployments }] });

/** A client whose every DescribeServices call answers the next description of `descriptions`, recording the inputs. */
function scriptedClient(descriptions: Description[]) {
  const inputs: unknown[] = [];
  const send = jest.fn(async (command: DescribeServicesCommand) => {
    expect(command).toBeInstanceOf(DescribeServicesCommand);
    inputs.push(command.input);
    const description = descriptions.shift();
    if (!description) {
      throw new Error('no more descriptions scripted');
    }
    return { $metadata: {}, ...description };
  });
  return { client: { send }, inputs };
}

/** Retries with no real waiting; `deadline` says how much time is left. */
function retry(deadline = () => 60_000): RetryOptions & { waits: number[] } {
  const waits: number[] = [];
  return { deadline, firstDelayMs: 1000, maxDelayMs: 4000, sleep: async (ms) => { waits.push(ms); }, waits };
}

const props = { Cluster: CLUSTER, EcsService: ECS_SERVICE, DiscoveryName: 'api', NamespaceId: 'ns-abcdefgh12345678' };

describe('findService', () => {
  test('describes the one ECS service in its cluster, and takes the ARN and id of the resource with the discovery name', async () => {
    const { client, inputs } = scriptedClient([described(deployment('PRIMARY', resource('web', 'srv-1'), resource('api', 'srv-9abc')))]);
    await expect(findService(client, props)).resolves.toEqual({ found: { Arn: arnOf('srv-9abc'), Id: 'srv-9abc', Name: 'api' } });
    // one call, for that service only: what the role allows
    expect(inputs).toEqual([{ cluster: CLUSTER, services: [ECS_SERVICE] }]);
  });

  test('the PRIMARY deployment wins over an ACTIVE one listed first', async () => {
    const { client } = scriptedClient([described(deployment('ACTIVE', resource('api', 'srv-old')), deployment('PRIMARY', resource('api', 'srv-new')))]);
    await expect(findService(client, props)).resolves.toEqual({ found: { Arn: arnOf('srv-new'), Id: 'srv-new', Name: 'api' } });
  });

  test('a PRIMARY deployment without it falls back to the ACTIVE deployment that has it (before an INACTIVE one)', async () => {
    // GIVEN a deployment in progress that lists no Service Connect resource yet, and the one it replaces
    const { client } = scriptedClient([described(
      deployment('INACTIVE', resource('api', 'srv-gone')),
      deployment('PRIMARY', resource('web', 'srv-1')),
      deployment('ACTIVE', resource('api', 'srv-9')),
    )]);
    // THEN the ACTIVE deployment's resource is taken
    await expect(findService(client, props)).resolves.toEqual({ found: { Arn: arnOf('srv-9'), Id: 'srv-9', Name: 'api' } });
  });

  test('a name that is only a prefix of another is not it; a resource with no ARN yet is not found; what was seen is told', async () => {
    const { client } = scriptedClient([described(deployment('PRIMARY', resource('api-v2', 'srv-1'), { discoveryName: 'api' }))]);
    await expect(findService(client, props)).resolves.toEqual({ seen: "status ACTIVE, deployments PRIMARY ecs-svc/primary: 'api-v2', 'api'" });
  });

  test('an ARN with no service id is not taken', async () => {
    const { client } = scriptedClient([described(deployment('PRIMARY', { discoveryName: 'api', discoveryArn: 'arn:aws:servicediscovery:us-east-1:111111111111:service/' }))]);
    await expect(findService(client, props)).resolves.toEqual({ seen: expect.stringContaining("'api'") });
  });

  test('an ECS service not described: the failure is told', async () => {
    const { client } = scriptedClient([{ services: [], failures: [{ arn: ECS_SERVICE, reason: 'MISSING' }] }]);
    await expect(findService(client, props)).resolves.toEqual({ seen: 'no ECS service described: MISSING' });
  });
});

describe('lookUp', () => {
  test('a Service Connect resource ECS adds late is found on the third try, after waits that grow', async () => {
    // GIVEN an ECS service with no deployment yet, then one without Service Connect resources, then with ours
    const { client } = scriptedClient([
      described(),
      described(deployment('PRIMARY')),
      described(deployment('PRIMARY', resource('web', 'srv-1'), resource('api', 'srv-9'))),
    ]);
    const options = retry();
    // WHEN it is looked up
    const found = await lookUp(client, props, options);
    // THEN it is found on the third try, after two waits
    expect(found).toEqual({ Arn: arnOf('srv-9'), Id: 'srv-9', Name: 'api' });
    expect(client.send).toHaveBeenCalledTimes(3);
    expect(options.waits).toEqual([1000, 2000]);
  });

  test('waits are capped', async () => {
    const { client } = scriptedClient([{}, {}, {}, {}, {}, described(deployment('PRIMARY', resource('api', 'srv-9')))]);
    const options = retry();
    await lookUp(client, props, options);
    expect(options.waits).toEqual([1000, 2000, 4000, 4000, 4000]);
  });

  test('another discovery name, not ours: it keeps trying, and when time runs out fails naming the service, the name and what it found', async () => {
    // GIVEN an ECS service whose deployments only ever have 'web', and time for two waits
    let left = 3500;
    const webOnly = () => described(deployment('PRIMARY', resource('web', 'srv-1')), deployment('ACTIVE', resource('web', 'srv-1')));
    const { client } = scriptedClient([webOnly(), webOnly(), webOnly(), webOnly()]);
    const waits: number[] = [];
    const options: RetryOptions & { waits: number[] } = {
      ...retry(() => left),
      sleep: async (ms: number) => { left -= ms; waits.push(ms); },
      waits,
    };
    // THEN the lookup fails after three tries, with all of it in the message
    await expect(lookUp(client, props, options)).rejects.toThrow(
      `no Service Connect resource with discovery name 'api' on ECS service ${ECS_SERVICE} (cluster ${CLUSTER}) after 3 attempts; `
      + "last seen: status ACTIVE, deployments PRIMARY ecs-svc/primary: 'web'; ACTIVE ecs-svc/active: 'web'.");
    expect(options.waits).toEqual([1000, 2000]);
    expect(client.send).toHaveBeenCalledTimes(3);
  });

  test('properties missing fail at once', async () => {
    const { client } = scriptedClient([]);
    await expect(lookUp(client, { ...props, Cluster: '' }, retry())).rejects.toThrow(/needs Cluster, EcsService and DiscoveryName/);
    await expect(lookUp(client, { ...props, EcsService: '' }, retry())).rejects.toThrow(/needs Cluster, EcsService and DiscoveryName/);
    expect(client.send).not.toHaveBeenCalled();
  });
});

/** A CloudFormation request. */
function request(requestType: LookupEvent['RequestType'], physicalResourceId?: string): LookupEvent {
  return {
    RequestType: requestType,
    ResponseURL: 'https://cloudformation-custom-resource-response-useast1.s3.amazonaws.com/response',
    StackId: 'arn:aws:cloudformation:us-east-1:111111111111:stack/Shop/guid',
    RequestId: 'request-1',
    LogicalResourceId: 'ApiCloudMapServiceapi',
    PhysicalResourceId: physicalResourceId,
    ResourceProperties: props,
  };
}

describe('respondTo', () => {
  test('create: the service\'s ARN is the physical id, its ARN, id and name the attributes', async () => {
    const { client } = scriptedClient([described(deployment('PRIMARY', resource('api', 'srv-9')))]);
    await expect(respondTo(request('Create'), client, retry())).resolves.toEqual({
      Status: 'SUCCESS', PhysicalResourceId: arnOf('srv-9'), Data: { Arn: arnOf('srv-9'), Id: 'srv-9', Name: 'api' },
    });
  });

  test('delete does nothing: no call to ECS, the physical id kept', async () => {
    const { client } = scriptedClient([]);
    await expect(respondTo(request('Delete', arnOf('srv-9')), client, retry())).resolves.toEqual({ Status: 'SUCCESS', PhysicalResourceId: arnOf('srv-9') });
    expect(client.send).not.toHaveBeenCalled();
  });

  test('an SDK error is a failure with its message, never a throw', async () => {
    const client = { send: jest.fn(async () => { throw new Error('User is not authorized to perform: ecs:DescribeServices'); }) };
    await expect(respondTo(request('Update', arnOf('srv-9')), client, retry())).resolves.toEqual({
      Status: 'FAILED', Reason: 'User is not authorized to perform: ecs:DescribeServices', PhysicalResourceId: arnOf('srv-9'),
    });
  });
});

describe('handler', () => {
  test('looks up with the SDK\'s client and answers CloudFormation at the response URL', async () => {
    // GIVEN the SDK client mocked, and the https request recorded
    const send = jest.fn(async () => ({ $metadata: {}, ...described(deployment('PRIMARY', resource('api', 'srv-9'))) }));
    (ECSClient as unknown as jest.Mock).mockImplementation(() => ({ send }));
    let body = '';
    let options: any;
    (https.request as unknown as jest.Mock).mockImplementation((url: string, opts: unknown, callback: (res: any) => void) => {
      options = { url, ...(opts as object) };
      return {
        on: jest.fn(),
        end: (data: string) => {
          body = data;
          callback({ resume: () => undefined, on: (_event: string, fn: () => void) => fn() });
        },
      };
    });
    jest.spyOn(console, 'log').mockImplementation(() => undefined);
    // WHEN the handler runs
    await handler(request('Create'), { getRemainingTimeInMillis: () => 600_000 });
    // THEN it PUT the success with the attributes to the pre-signed URL
    expect(options).toMatchObject({ url: request('Create').ResponseURL, method: 'PUT', headers: { 'content-type': '' } });
    expect(JSON.parse(body)).toEqual({
      Status: 'SUCCESS',
      PhysicalResourceId: arnOf('srv-9'),
      Data: { Arn: arnOf('srv-9'), Id: 'srv-9', Name: 'api' },
      StackId: request('Create').StackId,
      RequestId: 'request-1',
      LogicalResourceId: 'ApiCloudMapServiceapi',
    });
    expect(options.headers['content-length']).toBe(Buffer.byteLength(body));
    expect(send).toHaveBeenCalledWith(expect.any(DescribeServicesCommand));
  });
});
