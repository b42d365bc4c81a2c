import { App, CfnParameter, Stack, Token } from 'aws-cdk-lib';
import { CalledEndpoint, endpointNonce } from '../../src/core/redeploy';

/*
 * The nonce of the endpoints a client calls, as a pure function of the endpoints and the stack: the
 * order and repetition of endpoints do not count, every field does, and tokens are handled without
 * `${Token[...]}` strings and within CloudFormation's 255 characters.
 */

const api: CalledEndpoint = { namespace: 'shop.internal', discoveryName: 'api', dnsName: 'api', port: 80 };
const db: CalledEndpoint = { namespace: 'shop.internal', discoveryName: 'db', dnsName: 'db', port: 5432 };

function stack(): Stack {
  return new Stack(new App(), 'Client');
}

test('the order and repetition of the called endpoints do not count', () => {
  const s = stack();
  expect(endpointNonce(s, [api, db]).nonce).toEqual(endpointNonce(s, [db, api, db]).nonce);
});

test.each<[string, Partial<CalledEndpoint>]>([
  ['namespace', { namespace: 'other.internal' }],
  ['discovery name', { discoveryName: 'api2' }],
  ['DNS name', { dnsName: 'api2' }],
  ['port', { port: 81 }],
  ['port unknown', { port: undefined }],
])('the %s counts', (_, change) => {
  const s = stack();
  expect(endpointNonce(s, [api, db]).nonce).not.toEqual(endpointNonce(s, [{ ...api, ...change }, db]).nonce);
});

test('no endpoints have a nonce of their own, within 255 characters', () => {
  const { nonce, untracked } = endpointNonce(stack(), []);
  expect(nonce).toMatch(/^endpoints-[0-9a-f]{32}$/);
  expect(untracked).toEqual([]);
});

test('tokens of the stack are joined while the nonce can hold their longest values; the rest are untracked', () => {
  const s = stack();
  const names = [1, 2, 3].map((i) => new CfnParameter(s, `Name${i}`).valueAsString);
  const { nonce, untracked } = endpointNonce(s, names.map((dnsName) => ({ ...api, dnsName })));
  const resolved = s.resolve(nonce);
  // literal (42) + one DNS name of up to 127 characters fits in 255; a second would not
  expect(resolved).toEqual({ 'Fn::Join': ['', [expect.stringMatching(/^endpoints-/), '-', { Ref: 'Name1' }]] });
  expect(untracked).toEqual(['{"Ref":"Name2"}', '{"Ref":"Name3"}']);
  expect(JSON.stringify(resolved)).not.toContain('${Token');
});

test('a namespace token is hashed, never joined or reported: a new namespace redeploys the client anyway', () => {
  const s = stack();
  const other = new Stack(s.node.root as App, 'Other');
  const name = new CfnParameter(other, 'Namespace').valueAsString;
  const { nonce, untracked } = endpointNonce(s, [{ ...api, namespace: name }]);
  expect(nonce).toMatch(/^endpoints-[0-9a-f]{32}$/);
  expect(untracked).toEqual([]);
});

test('a number token is joined as its reference', () => {
  const s = stack();
  const port = Token.asNumber(new CfnParameter(s, 'Port', { type: 'Number' }).value);
  expect(s.resolve(endpointNonce(s, [{ ...api, port }]).nonce)['Fn::Join'][1].slice(1)).toEqual(['-', { Ref: 'Port' }]);
});
