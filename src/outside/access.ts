import { Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct, IConstruct } from 'constructs';
import type { ResolvedEndpoint } from '../endpoint';
import type { OutsideCallerFacts, OutsideFacts } from '../rules/facts';

/*
 * Callers from outside the namespace: API Gateway through a VPC link, Lambda functions, EC2 instances, load
 * balancers. They have no Service Connect proxy, so they reach the server's tasks directly, on the port the
 * server-side proxy listens on (the same port the library opens to Service Connect clients), and find them
 * through the endpoint's Cloud Map service, a DNS registration or a load balancer. Each server keeps what was
 * declared here; the wiring renders the rules from the finished app, and the rules and the topology read it.
 */

/** One declared outside caller. */
export interface OutsideCaller {
  /** The caller as declared. */
  readonly caller: ec2.IConnectable;
  /** How the topology and the messages name it. */
  readonly label: string;
  /** Endpoint the caller calls, by discovery name; undefined for every endpoint. */
  readonly discoveryName?: string;
  /** Port the caller was allowed on, when it named one. */
  readonly port?: number;
  /** Whether the caller is an API Gateway VPC link of a private integration. */
  readonly viaVpcLink: boolean;
}

/** One Cloud Map service lookup of a server. */
export interface OutsideLookup {
  readonly discoveryName: string;
  /** Whether an HTTP API private integration is built on it. */
  readonly integration: boolean;
}

/** What one server declared. */
interface OutsideState {
  readonly callers: OutsideCaller[];
  readonly lookups: OutsideLookup[];
  rendered: boolean;
}

const states = new WeakMap<IConstruct, OutsideState>();

function stateOf(server: IConstruct): OutsideState {
  let state = states.get(server);
  if (!state) {
    state = { callers: [], lookups: [], rendered: false };
    states.set(server, state);
  }
  return state;
}

/** Records an outside caller of `server`. */
export function addOutsideCaller(server: IConstruct, caller: OutsideCaller): void {
  stateOf(server).callers.push(caller);
}

/** Records a lookup of `server`'s Cloud Map service (once per discovery name; an integration marks it). */
export function addLookup(server: IConstruct, lookup: OutsideLookup): void {
  const lookups = stateOf(server).lookups;
  const known = lookups.findIndex((l) => l.discoveryName === lookup.discoveryName);
  if (known === -1) {
    lookups.push(lookup);
  } else if (lookup.integration) {
    lookups[known] = lookup;
  }
}

/** The outside callers of `server`, in declaration order. */
export function outsideCallersOf(server: IConstruct): OutsideCaller[] {
  return [...(states.get(server)?.callers ?? [])];
}

/** The CIDR of a caller that is an address range (`ec2.Peer.ipv4(...)`), if it is one. */
function cidrOf(caller: ec2.IConnectable): string | undefined {
  const uniqueId: unknown = (caller as Partial<ec2.IPeer>).uniqueId;
  return typeof uniqueId === 'string' && !Token.isUnresolved(uniqueId) && /^[0-9a-fA-F.:]+\/\d+$/.test(uniqueId) ? uniqueId : undefined;
}

/** Whether a caller is every address (`0.0.0.0/0`, `::/0`): the library never opens a server to the world. */
export function isAnyAddress(caller: ec2.IConnectable): boolean {
  return cidrOf(caller)?.endsWith('/0') ?? false;
}

/** How the topology and messages name a caller: its construct path, its address range, or what it is. */
export function callerLabel(caller: ec2.IConnectable, given?: string): string {
  if (given !== undefined) {
    return given;
  }
  if (Construct.isConstruct(caller)) {
    return caller.node.path;
  }
  return cidrOf(caller) ?? (caller as Partial<ec2.IPeer>).uniqueId ?? 'a peer';
}

/** The endpoints `caller` calls: the one it names, or every endpoint. */
function endpointsCalled(caller: OutsideCaller, endpoints: ResolvedEndpoint[]): ResolvedEndpoint[] {
  return caller.discoveryName === undefined ? endpoints : endpoints.filter((ep) => ep.discoveryName === caller.discoveryName);
}

/** The distinct known proxy listen ports of the endpoints `caller` calls. */
function listenPortsCalled(caller: OutsideCaller, endpoints: ResolvedEndpoint[]): number[] {
  return [...new Set(endpointsCalled(caller, endpoints).map((ep) => ep.listenPort).filter((port): port is number => port !== undefined))];
}

/** The ports `caller` may reach: the listen port of its endpoint (or of every endpoint), or the one it named if one of them. */
export function portsFor(caller: OutsideCaller, endpoints: ResolvedEndpoint[]): number[] {
  const listenPorts = listenPortsCalled(caller, endpoints);
  if (caller.port === undefined) {
    return listenPorts;
  }
  if (Token.isUnresolved(caller.port)) {
    return [caller.port]; // a parameter, say: taken as given, like a listen port that is a token
  }
  return listenPorts.includes(caller.port) ? [caller.port] : [];
}

/**
 * Renders the security-group rules of `server`'s outside callers, once: each caller's groups (or address range)
 * may reach the server's groups on the proxy listen ports it may call, and nothing else.
 */
export function renderOutsideCallers(server: IConstruct & ec2.IConnectable, endpoints: ResolvedEndpoint[]): void {
  const state = states.get(server);
  if (!state || state.rendered) {
    return;
  }
  state.rendered = true;
  for (const caller of state.callers) {
    if (isAnyAddress(caller.caller)) {
      continue; // refused by the rule OutsideCallerAnyAddress
    }
    const description = (caller.viaVpcLink ? `API Gateway VPC link ${caller.label} to ${server.node.path}`
      : `Service Connect from ${caller.label} (outside the namespace) to ${server.node.path}`).slice(0, 255);
    for (const port of portsFor(caller, endpoints)) {
      server.connections.allowFrom(caller.caller, ec2.Port.tcp(port), description);
    }
  }
}

/** The account of a literal Cloud Map namespace ARN. */
function arnAccount(arn: string): string | undefined {
  if (Token.isUnresolved(arn)) {
    return undefined;
  }
  const account = arn.split(':')[4];
  return account && /^\d{12}$/.test(account) ? account : undefined;
}

/** What the rules need of `server`'s outside callers and lookups; undefined when it declared none. */
export function outsideFacts(server: IConstruct, endpoints: ResolvedEndpoint[],
  namespace: { namespaceArn: string; namespaceId: string }): OutsideFacts | undefined {
  const state = states.get(server);
  if (!state || (state.callers.length === 0 && state.lookups.length === 0)) {
    return undefined;
  }
  const discoveryNames = endpoints.map((ep) => ep.discoveryName);
  const stackAccount = Stack.of(server).account;
  const callers: OutsideCallerFacts[] = state.callers.map((caller) => {
    const called = endpointsCalled(caller, endpoints);
    return {
      label: caller.label,
      discoveryName: caller.discoveryName,
      // A port known only at deploy time cannot be checked (the rules skip tokens).
      port: caller.port !== undefined && Token.isUnresolved(caller.port) ? undefined : caller.port,
      anyAddress: isAnyAddress(caller.caller),
      listenPorts: listenPortsCalled(caller, endpoints),
      endpointKnown: caller.discoveryName === undefined || Token.isUnresolved(caller.discoveryName) || discoveryNames.includes(caller.discoveryName),
      portsUnresolved: called.some((ep) => ep.listenPort !== undefined && Token.isUnresolved(ep.listenPort)),
    };
  });
  const namespaceId = namespace.namespaceId;
  return {
    discoveryNames,
    callers,
    lookups: state.lookups.map((lookup) => ({
      discoveryName: lookup.discoveryName,
      integration: lookup.integration,
      endpointKnown: discoveryNames.includes(lookup.discoveryName),
    })),
    namespaceIdKnown: Token.isUnresolved(namespaceId) || namespaceId.startsWith('ns-'),
    namespaceAccount: arnAccount(namespace.namespaceArn),
    stackAccount: Token.isUnresolved(stackAccount) ? undefined : stackAccount,
  };
}
