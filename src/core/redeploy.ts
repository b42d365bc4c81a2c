import { createHash } from 'crypto';
import { CfnElement, IResolvable, Stack, Token } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { IConstruct } from 'constructs';
import { overridesOf } from './overrides';
import { referenceTargets } from './references';
import { compareText } from './text-order';

/*
 * Clients follow endpoint changes. A task resolves only the endpoints that existed when it started
 * (seed, "Deployment order"), so a client must start new tasks whenever the endpoints it calls change.
 * The ECS service resource's `ForceNewDeployment` starts a deployment when its nonce changes
 * (CloudFormation, AWS::ECS::Service ForceNewDeployment); the library derives the nonce from the
 * endpoints the service calls. The property is newer than the oldest aws-cdk-lib the library supports,
 * so it is written as a property override, in CloudFormation's names.
 */

/** The CloudFormation property. */
export const FORCE_NEW_DEPLOYMENT = 'ForceNewDeployment';

/** What the nonce starts with; then a digest of the called endpoints. */
const NONCE_PREFIX = 'endpoints-';

/** CloudFormation's longest nonce. */
const MAX_NONCE_LENGTH = 255;

/** Longest value a token can stand for, by field: an integer port, a DNS name and a discovery name (ECS API). */
const WORST_CASE_LENGTH = { discoveryName: 64, dnsName: 127, port: 11 } as const;

/** One endpoint a client calls, as the nonce sees it. */
export interface CalledEndpoint {
  /** The name of the server's namespace. */
  readonly namespace: string;
  readonly discoveryName: string;
  readonly dnsName: string;
  /** The client alias port; undefined when unknown (a port mapping the rules refuse). */
  readonly port?: number;
}

/** The rendered nonce: a literal, or a join of a literal and values CloudFormation knows at deploy time. */
export interface EndpointNonce {
  readonly nonce: unknown;
  /** Token values from other stacks, or beyond the nonce's length: their changes do not change the nonce. */
  readonly untracked: string[];
}

/**
 * The nonce of the endpoints a client calls. Literal values are hashed. A token is hashed in its resolved
 * form (deterministic: logical ids, never `${Token[...]}`), and, when it refers only to the client's own
 * stack and the nonce stays within CloudFormation's length, also joined into the nonce, so that a new
 * value (a parameter, say) changes the nonce at deploy time. Tokens of other stacks are not joined: that
 * would export them, and an export in use cannot change.
 */
export function endpointNonce(scope: IConstruct, endpoints: CalledEndpoint[]): EndpointNonce {
  const stack = Stack.of(scope);
  const tokens = new Map<string, { value: unknown; worst: number }>();
  // A namespace is not followed at deploy time: a new name is a new namespace, whose ARN changes the
  // client's own configuration (and so deploys it) already.
  const plain = (field: keyof typeof WORST_CASE_LENGTH | 'namespace', value: unknown): unknown => {
    if (!Token.isUnresolved(value)) {
      return value;
    }
    const resolved = JSON.stringify(stack.resolve(value));
    if (field !== 'namespace') {
      tokens.set(resolved, { value, worst: WORST_CASE_LENGTH[field] });
    }
    return { token: resolved };
  };
  const entries = [...new Set(endpoints.map((ep) => JSON.stringify([
    plain('namespace', ep.namespace), plain('discoveryName', ep.discoveryName), plain('dnsName', ep.dnsName), plain('port', ep.port),
  ])))].sort();
  const literal = NONCE_PREFIX + createHash('sha256').update(JSON.stringify(entries)).digest('hex').slice(0, 32);
  const joined: unknown[] = [];
  const untracked: string[] = [];
  let length = literal.length;
  for (const [resolved, { value, worst }] of [...tokens.entries()].sort(([a], [b]) => compareText(a, b))) {
    if (refersOnlyTo(stack, value) && length + 1 + worst <= MAX_NONCE_LENGTH) {
      joined.push('-', value);
      length += 1 + worst;
    } else {
      untracked.push(resolved);
    }
  }
  return { nonce: joined.length === 0 ? literal : { 'Fn::Join': ['', [literal, ...joined]] }, untracked };
}

/** Whether every reference in `value` is to an element of `stack` (so joining it exports nothing). */
function refersOnlyTo(stack: Stack, value: unknown): boolean {
  return referenceTargets(stack, value).every((target) => target === stack || (CfnElement.isCfnElement(target) && Stack.of(target) === stack));
}

/**
 * Whether the ECS service resource already has a `ForceNewDeployment` of someone else's: the L1 property
 * (aws-cdk-lib versions that have it, also set by the L2's `forceNewDeployment`) or a property override.
 */
export function hasOwnForceNewDeployment(resource: ecs.CfnService): boolean {
  const property: unknown = (resource as unknown as Record<string, unknown>).forceNewDeployment;
  return property !== undefined || overridesOf(resource)?.Properties?.[FORCE_NEW_DEPLOYMENT] !== undefined;
}

/** Renders the library's `ForceNewDeployment`, its nonce produced at synth. */
export function addEndpointRedeploy(resource: ecs.CfnService, nonce: IResolvable): void {
  resource.addPropertyOverride(FORCE_NEW_DEPLOYMENT, { EnableForceNewDeployment: true, ForceNewDeploymentNonce: nonce });
}
