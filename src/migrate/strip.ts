import { CfnResource, IResolvable, IResolveContext, Token, Tokenization } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { PlannedEndpoint, StripItem } from './plan';

/*
 * What the conversion removes from the L1 resources of an app that ran on App Mesh: the Envoy container,
 * the containers' dependencies on it and the APPMESH proxy configuration of a task definition, and the
 * Envoy grants of IAM roles and policies. Each rewrite wraps the resource's property in a lazy value
 * that reads what the property would have rendered (the L2's own lazy value, a CfnInclude'd literal)
 * and drops the App Mesh parts, so it works on L2, L1 and included resources alike, and sees what is
 * added to them after the conversion.
 */

/** A value as an object, for reading resolved CloudFormation shapes. */
function obj(value: unknown): Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? value as Record<string, any> : {};
}

/**
 * A value computed at synth from another one, unwrapped only as deep as the rewrite reads it: what the
 * rewrite drops is never resolved, so a reference it held (an Envoy container's virtual node ARN in
 * another stack, say) makes no export.
 */
class Rewritten implements IResolvable {
  public readonly creationStack: string[] = [];
  constructor(private readonly original: unknown, private readonly rewrite: (value: unknown, context: IResolveContext) => unknown) {}
  public resolve(context: IResolveContext): unknown {
    return this.rewrite(unwrap(this.original, context), context);
  }
  public toString(): string {
    return Token.asString(this);
  }
}

/** A value with its outer tokens (an L2's lazy list, a policy document) resolved one level at a time, its insides left as they are. */
function unwrap(value: unknown, context: IResolveContext): unknown {
  let current = value;
  for (let depth = 0; Tokenization.isResolvable(current) && depth < 10; depth++) {
    current = current.resolve(context);
  }
  return current;
}

/** Replaces `resource[property]` by a value computed at synth: `rewrite` of what it holds, unwrapped. */
function rewriteProperty(resource: CfnResource, property: string, rewrite: (value: unknown, context: IResolveContext) => unknown): void {
  const record = resource as unknown as Record<string, unknown>;
  record[property] = new Rewritten(record[property], rewrite);
}

/** A port mapping to name: the container port, the name, and the app protocol when the listener has one. */
export interface PortName {
  readonly containerPort: number;
  readonly name: string;
  readonly appProtocol?: string;
}

/** The port mappings a node's endpoints need named. */
export function portNamesOf(endpoints: readonly PlannedEndpoint[]): PortName[] {
  return endpoints.filter((ep) => !ep.portMappingExists && ep.containerPort !== undefined)
    .map((ep) => ({ containerPort: ep.containerPort as number, name: ep.portMappingName, appProtocol: ep.appProtocol }));
}

/**
 * Names the port mappings of an L2 task definition's containers, the way `addPortMappings` registers
 * them, so that `findPortMappingByName` (and so `attach`) finds them. The mapping moves to the end of
 * its container's list; the task definition gets a new revision anyway.
 */
export function namePortMappingsL2(task: ecs.TaskDefinition, names: readonly PortName[], skipContainer?: string): void {
  const containers = task.node.children.filter((c): c is ecs.ContainerDefinition => c instanceof ecs.ContainerDefinition)
    .filter((c) => c.containerName !== skipContainer);
  for (const wanted of names) {
    for (const container of containers) {
      const index = container.portMappings.findIndex((pm) => pm.containerPort === wanted.containerPort && pm.name === undefined);
      if (index >= 0) {
        const [mapping] = container.portMappings.splice(index, 1);
        container.addPortMappings({
          ...mapping,
          name: wanted.name,
          appProtocol: wanted.appProtocol === undefined ? undefined
            : { http: ecs.AppProtocol.http, http2: ecs.AppProtocol.http2, grpc: ecs.AppProtocol.grpc }[wanted.appProtocol],
        });
        break;
      }
    }
  }
}

/**
 * Strips a task definition resource of what App Mesh needed: the Envoy container, every container's
 * dependency on it and the APPMESH proxy configuration; names the port mappings the endpoints need (an
 * L1 or included task definition; an L2 one is named with `namePortMappingsL2`); and, for a task that
 * could run on EC2 without task memory, sets the task memory to what the containers had, Envoy's share
 * going to the Service Connect proxy (at least 64 MiB).
 */
export function stripTaskDefinition(task: ecs.CfnTaskDefinition, strip: StripItem | undefined, names: readonly PortName[], setMemory: boolean): void {
  if (strip?.proxyConfiguration) {
    task.proxyConfiguration = undefined;
  }
  const original = task.containerDefinitions;
  const envoy = strip?.envoyContainer;
  const nameOf = (c: unknown, context: IResolveContext) => context.resolve(obj(unwrap(c, context)).name);
  rewriteProperty(task, 'containerDefinitions', (value, context) => {
    if (!Array.isArray(value)) {
      return value;
    }
    return value.filter((c) => envoy === undefined || nameOf(c, context) !== envoy).map((c) => {
      const container = obj(unwrap(c, context));
      const given: unknown = context.resolve(container.dependsOn);
      const dependsOn = Array.isArray(given) ? given.filter((d: unknown) => obj(d).containerName !== envoy) : given;
      const mappings: unknown = context.resolve(container.portMappings);
      const portMappings = Array.isArray(mappings) ? mappings.map((pm: unknown) => {
        const mapping = obj(pm);
        const wanted = names.find((n) => n.containerPort === mapping.containerPort);
        return wanted && mapping.name === undefined
          ? { ...mapping, name: wanted.name, ...(wanted.appProtocol ? { appProtocol: wanted.appProtocol } : {}) } : pm;
      }) : mappings;
      return { ...container, dependsOn: Array.isArray(dependsOn) && dependsOn.length === 0 ? undefined : dependsOn, portMappings };
    });
  });
  if (setMemory && task.memory === undefined) {
    task.memory = Token.asString(new Rewritten(original, (containers, context) => memoryFor(Array.isArray(containers)
      ? containers.map((c) => {
        const container = obj(unwrap(c, context));
        const [name, memory, memoryReservation] = [container.name, container.memory, container.memoryReservation].map((v) => context.resolve(v));
        return { name, memory, memoryReservation };
      }) : undefined, envoy)));
  }
}

/**
 * The task memory that replaces Envoy with the Service Connect proxy: every container's memory (hard
 * limit, else reservation), Envoy's included, and at least 64 MiB above the others. Undefined when a
 * container has none or a token.
 */
export function memoryFor(containers: unknown, envoy: string | undefined): string | undefined {
  if (!Array.isArray(containers)) {
    return undefined;
  }
  const memory = containers.map((c) => ({ name: obj(c).name, mib: obj(c).memory ?? obj(c).memoryReservation }));
  if (!memory.every((m) => typeof m.mib === 'number')) {
    return undefined;
  }
  const others = memory.filter((m) => m.name !== envoy).reduce((a, m) => a + (m.mib as number), 0);
  const envoyShare = memory.filter((m) => m.name === envoy).reduce((a, m) => a + (m.mib as number), 0);
  return String(others + Math.max(64, envoyShare));
}

/** The Envoy grant of an IAM statement's actions: `appmesh:StreamAggregatedResources` or `appmesh:*`. */
const ENVOY_ACTION = /^appmesh:(StreamAggregatedResources|\*)$/;
const ENVOY_POLICY = /AWSAppMesh(Preview)?EnvoyAccess/;

/**
 * A policy document without its Envoy grants; a statement left with no action goes. Only the statements'
 * effects and actions are resolved: the resources of a dropped statement (a virtual node's ARN) never are.
 */
export function withoutEnvoyStatements(document: unknown, context?: IResolveContext): unknown {
  const resolve = (v: unknown) => (context ? context.resolve(v) : v);
  const doc = obj(context ? unwrap(document, context) : document);
  const all: unknown = context ? unwrap(doc.Statement, context) : doc.Statement;
  if (!Array.isArray(all)) {
    return document;
  }
  const statements = all.flatMap((s: unknown) => {
    const statement = obj(context ? unwrap(s, context) : s);
    const action: unknown = resolve(statement.Action);
    const actions: unknown[] = Array.isArray(action) ? action : [action];
    if (resolve(statement.Effect) === 'Deny' || !actions.some((a) => typeof a === 'string' && ENVOY_ACTION.test(a))) {
      return [s];
    }
    const rest = actions.filter((a) => !(typeof a === 'string' && ENVOY_ACTION.test(a)));
    return rest.length === 0 ? [] : [{ ...statement, Action: rest.length === 1 ? rest[0] : rest }];
  });
  return { ...doc, Statement: statements };
}

/**
 * Removes the Envoy grants of an IAM resource: `appmesh:StreamAggregatedResources` (or `appmesh:*`) from
 * its policy statements, and the AWSAppMeshEnvoyAccess managed policy from a role.
 */
export function stripGrant(resource: CfnResource): void {
  if (resource instanceof iam.CfnRole) {
    rewriteProperty(resource, 'managedPolicyArns', (arns, context) => Array.isArray(arns)
      ? arns.filter((arn) => !ENVOY_POLICY.test(JSON.stringify(context.resolve(arn)))) : arns);
    rewriteProperty(resource, 'policies', (policies, context) => Array.isArray(policies)
      ? policies.map((p) => {
        const policy = obj(unwrap(p, context));
        return { ...policy, policyDocument: withoutEnvoyStatements(policy.policyDocument, context) };
      }) : policies);
  } else if (resource instanceof iam.CfnPolicy) {
    rewriteProperty(resource, 'policyDocument', withoutEnvoyStatements);
  } else if (resource instanceof iam.CfnManagedPolicy) {
    // Roles refer to a managed policy, so it stays; one left empty (which IAM refuses) denies what it granted.
    rewriteProperty(resource, 'policyDocument', (document, context) => {
      const stripped = obj(withoutEnvoyStatements(document, context));
      return Array.isArray(stripped.Statement) && stripped.Statement.length === 0
        ? { ...stripped, Statement: [{ Effect: 'Deny', Action: 'appmesh:StreamAggregatedResources', Resource: '*' }] } : stripped;
    });
  }
}

/** Whether a policy document grants Envoy access and nothing else: without it, the policy would be empty, which IAM refuses. */
export function onlyEnvoyStatements(document: unknown): boolean {
  const statements = obj(withoutEnvoyStatements(document)).Statement;
  return Array.isArray(statements) && statements.length === 0 && Array.isArray(obj(document).Statement);
}
