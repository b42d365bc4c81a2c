import * as https from 'https';
import { ListServicesCommand, ServiceDiscoveryClient } from '@aws-sdk/client-servicediscovery';
import { findService, handler, LookupEvent, lookUp, respondTo, RetryOptions } from '../../src/outside/lookup-handler';

/*
 * The lookup's handler with the SDK mocked: the Cloud Map client's `send` answers from scripted pages, and
 * the response to CloudFormation goes to a mocked https request.
 */

jest.mock('@aws-sdk/client-servicediscovery', () => {
  const actual = jest.requireActual('@aws-sdk/client-servicediscovery');
  return { ...actual, ServiceDiscoveryClient: jest.fn() };
});
jest.mock('https', () => ({ request: jest.fn() }));

type Page = { Services?: Array<{ Name?: string; Id?: string; Arn?: string }>; NextToken?: string };

const NAMESPACE_ID = 'ns-abcdefgh12345678';
const arnOf = (id: string) => `arn:aws:servicediscovery:us-east-1:111111111111:service/${id}`;
const service = (name: string, id: string) => ({ Name: name, Id: id, Arn: arnOf(id) });

/** A client whose every ListServices call answers the next page of `pages`, recording the inputs. */
function scriptedClient(pages: Page[]) {
  const inputs: unknown[] = [];
  const send = jest.fn(async (command: ListServicesCommand) => {
    expect(command).toBeInstanceOf(ListServicesCommand);
    inputs.push(command.input);
    const page = pages.shift();
    if (!page) {
      throw new Error('no more pages scripted');
    }
    return { $metadata: {}, ...page };
  });
  return { client: { send }, inputs };
}

/** Retries with no real waiting; `deadline` says how much time is left. */
function retry(deadline = () => 60_000): RetryOptions & { waits: number[] } {
  const waits: number[] = [];
  return { deadline, firstDelayMs: 1000, maxDelayMs: 4000, sleep: async (ms) => { waits.push(ms); }, waits };
}

const props = { NamespaceId: NAMESPACE_ID, DiscoveryName: 'api' };

describe('findService', () => {
  test('reads every page of the namespace, filtered by its id, until the name is found', async () => {
    // GIVEN a namespace with three pages of services, the one wanted on the third
    const { client, inputs } = scriptedClient([
      { Services: [service('web', 'srv-1'), service('db', 'srv-2')], NextToken: 'page-2' },
      { Services: [service('cache', 'srv-3')], NextToken: 'page-3' },
      { Services: [service('api', 'srv-4')] },
    ]);
    // WHEN it is looked up
    const found = await findService(client, NAMESPACE_ID, 'api');
    // THEN it is found, and each call asked for the namespace's services from the previous page's token on
    expect(found).toEqual({ Arn: arnOf('srv-4'), Id: 'srv-4', Name: 'api' });
    const filter = [{ Name: 'NAMESPACE_ID', Values: [NAMESPACE_ID], Condition: 'EQ' }];
    expect(inputs).toEqual([
      { Filters: filter, NextToken: undefined },
      { Filters: filter, NextToken: 'page-2' },
      { Filters: filter, NextToken: 'page-3' },
    ]);
  });

  test('stops at the page that has it', async () => {
    const { client } = scriptedClient([{ Services: [service('api', 'srv-1')], NextToken: 'more' }]);
    await expect(findService(client, NAMESPACE_ID, 'api')).resolves.toEqual({ Arn: arnOf('srv-1'), Id: 'srv-1', Name: 'api' });
    expect(client.send).toHaveBeenCalledTimes(1);
  });

  test('a name that is only a prefix of another is not it; none found is undefined', async () => {
    const { client } = scriptedClient([{ Services: [service('api-v2', 'srv-1'), { Name: 'api' }] }]);
    await expect(findService(client, NAMESPACE_ID, 'api')).resolves.toBeUndefined();
  });
});

describe('lookUp', () => {
  test('a service ECS creates late is found on the third try, after waits that grow', async () => {
    // GIVEN a namespace where the service appears only on the third listing
    const { client } = scriptedClient([
      { Services: [service('web', 'srv-1')] },
      { Services: [] },
      { Services: [service('web', 'srv-1'), service('api', 'srv-9')] },
    ]);
    const options = retry();
    // WHEN it is looked up
    const found = await lookUp(client, props, options);
    // THEN it is found on the third try, after two waits
    expect(found.Id).toBe('srv-9');
    expect(client.send).toHaveBeenCalledTimes(3);
    expect(options.waits).toEqual([1000, 2000]);
  });

  test('waits are capped', async () => {
    const { client } = scriptedClient([{}, {}, {}, {}, {}, { Services: [service('api', 'srv-9')] }]);
    const options = retry();
    await lookUp(client, props, options);
    expect(options.waits).toEqual([1000, 2000, 4000, 4000, 4000]);
  });

  test('when time runs out it fails with what it searched and how often', async () => {
    // GIVEN a service that never appears, and time for two waits
    let left = 3500;
    const { client } = scriptedClient([{}, {}, {}, {}]);
    const waits: number[] = [];
    const options: RetryOptions & { waits: number[] } = {
      ...retry(() => left),
      sleep: async (ms: number) => { left -= ms; waits.push(ms); },
      waits,
    };
    // THEN the lookup fails after three tries
    await expect(lookUp(client, props, options)).rejects.toThrow(
      `no Cloud Map service named 'api' in namespace ${NAMESPACE_ID} after 3 attempts`);
    expect(options.waits).toEqual([1000, 2000]);
  });

  test('properties missing fail at once', async () => {
    const { client } = scriptedClient([]);
    await expect(lookUp(client, { NamespaceId: '', DiscoveryName: 'api' }, retry())).rejects.toThrow(/needs NamespaceId and DiscoveryName/);
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
    const { client } = scriptedClient([{ Services: [service('api', 'srv-9')] }]);
    await expect(respondTo(request('Create'), client, retry())).resolves.toEqual({
      Status: 'SUCCESS', PhysicalResourceId: arnOf('srv-9'), Data: { Arn: arnOf('srv-9'), Id: 'srv-9', Name: 'api' },
    });
  });

  test('delete does nothing: no call to Cloud Map, the physical id kept', async () => {
    const { client } = scriptedClient([]);
    await expect(respondTo(request('Delete', arnOf('srv-9')), client, retry())).resolves.toEqual({ Status: 'SUCCESS', PhysicalResourceId: arnOf('srv-9') });
    expect(client.send).not.toHaveBeenCalled();
  });

  test('an SDK error is a failure with its message, never a throw', async () => {
    const client = { send: jest.fn(async () => { throw new Error('User is not authorized to perform: servicediscovery:ListServices'); }) };
    await expect(respondTo(request('Update', arnOf('srv-9')), client, retry())).resolves.toEqual({
      Status: 'FAILED', Reason: 'User is not authorized to perform: servicediscovery:ListServices', PhysicalResourceId: arnOf('srv-9'),
    });
  });
});

describe('handler', () => {
  test('looks up with the SDK\'s client and answers CloudFormation at the response URL', async () => {
    // GIVEN the SDK client mocked, and the https request recorded
    const send = jest.fn(async () => ({ $metadata: {}, Services: [service('api', 'srv-9')] }));
    (ServiceDiscoveryClient as unknown as jest.Mock).mockImplementation(() => ({ send }));
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
    expect(send).toHaveBeenCalledWith(expect.any(ListServicesCommand));
  });
});
