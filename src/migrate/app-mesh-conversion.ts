import { Annotations, Aspects, CfnResource, Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct, IConstruct } from 'constructs';
import { AccessLogFormat, ServiceConnectAccessLogOptions } from '../access-logs';
import { ServiceConnectChecks } from '../checks';
import { ClientServerService } from '../client-server-service';
import { ClientService } from '../client-service';
import { artifactFileNames, writeArtifactsAtSynth } from '../core/artifacts';
import { newLogGroup } from '../core/log-group';
import { addAccessLogs } from '../core/overrides';
import { renderServiceConnect } from '../core/render';
import { ResolvedEndpoint, resolveEndpoint, ServiceConnectEndpoint, ServiceConnectTls } from '../endpoint';
import { pathError } from '../errors';
import { ServiceConnectAlarmOptions } from '../monitoring/options';
import { ProxyLogOptions, renderProxyLogs } from '../proxy-logs';
import { addAcknowledgeableWarning } from '../rules/warn';
import { ServiceConnectServiceBase } from '../service-base';
import { IServiceConnectNamespace } from '../types';
import { MigrationPlan, PlannedFinding, PlannedNode, planMigration } from './plan';
import { readAppMeshFacts } from './reader';
import { CONVERSION_RULES, migrationRule } from './rules';
import { namePortMappingsL2, onlyEnvoyStatements, portNamesOf, stripGrant, stripTaskDefinition } from './strip';

/**
 * A decision on a finding of the App Mesh migration plan that `AppMeshConversion` would otherwise refuse
 * to convert past (RULES.md lists which findings need one).
 */
export interface AppMeshDecision {
  /**
   * The finding's id, e.g. `AppMeshWeightedRoute`.
   */
  readonly findingId: string;

  /**
   * The construct path of the resource the finding is on, as the plan reports it (e.g.
   * `MeshStack/BackendRoute/Resource`).
   *
   * @default - every finding with this id
   */
  readonly path?: string;

  /**
   * For `AppMeshWeightedRoute`: the name of the virtual node that keeps the virtual service name (its
   * callers' traffic). The other targets keep running, reachable by their own discovery names.
   *
   * @default - the target with the highest weight
   */
  readonly keepTarget?: string;

  /**
   * Why: recorded in the cloud assembly with the conversion's report.
   */
  readonly reason: string;
}

/**
 * Properties of an `AppMeshConversion`.
 */
export interface AppMeshConversionProps {
  /**
   * The Service Connect namespace every converted service joins.
   */
  readonly namespace: IServiceConnectNamespace;

  /**
   * Convert the services of a deployed app in place. An ECS service cannot be in a mesh and a
   * namespace at once, so converting in place takes the services out of the mesh in one deployment:
   * meant for meshes that have already stopped. The safe path is a new copy of the app (a second
   * Stage or set of stacks), converted, and a cutover to it (docs/app-mesh-migration.md). In place,
   * `retainAppMeshResources` must be set.
   *
   * @default false - the scope is a new copy of the app, never deployed with its mesh
   */
  readonly inPlace?: boolean;

  /**
   * What becomes of the App Mesh resources (meshes, virtual nodes, services, routers, routes, gateways)
   * under the scope. `true` keeps them in the template with a Retain deletion and replacement policy,
   * so that removing them later leaves them in the account; `false` removes them from the template (a
   * deployed mesh is deleted by CloudFormation).
   *
   * @default - a new copy (`inPlace` false): false, since the copy's mesh was never created; in place:
   * no default, a synth error (AppMeshResourcesDecision) until it is set
   */
  readonly retainAppMeshResources?: boolean;

  /**
   * A decision for each finding of the plan that the conversion cannot convert past on its own: a
   * weighted or matched route, a gateway, mutual TLS, TLS outside AWS Private CA, a virtual node
   * without ECS service, a standalone task, a listener reached through several names.
   *
   * @default - none: any such finding is a synth error naming it
   */
  readonly decisions?: AppMeshDecision[];

  /**
   * Service Connect TLS for the endpoints whose App Mesh listener terminated TLS with an ACM Private CA
   * certificate: the AWS Private CA that issued those certificates (tagged `AmazonECSManaged: true`), and
   * the role and key as for any endpoint (`createRole` applies to L2 services; an L1 one gets `role` only).
   *
   * @default - none: each such node needs a decision (AppMeshPrivateCaTls) and converts without TLS
   */
  readonly tls?: ServiceConnectTls;

  /**
   * Access logs of every converted service's proxy.
   *
   * @default - each virtual node's Envoy access log carries over, in its format (text or JSON); none where the node had none
   */
  readonly accessLogs?: ServiceConnectAccessLogOptions;

  /**
   * Logs of every converted service's proxy (a log group with a finite retention).
   *
   * @default - on, to a new log group per service kept for one month; an execution role is added to task definitions without one
   */
  readonly proxyLogs?: ProxyLogOptions;

  /**
   * Alarms on every converted server that the plan's call graph gives callers (services built with
   * aws-cdk-lib L2 constructs; an L1 service gets none), for gating the cutover (`alarms` of this construct).
   *
   * @default - no alarms
   */
  readonly alarms?: ServiceConnectAlarmOptions;
}

/** What the conversion did to one virtual node's ECS service. */
interface Converted {
  readonly node: PlannedNode;
  readonly cfnService: ecs.CfnService;
  /** The library's construct, when the ECS service is an L2 one. */
  readonly service?: ClientService | ClientServerService;
  /** The endpoints rendered on an L1 service. */
  readonly endpoints: ResolvedEndpoint[];
  readonly securityGroupIds: string[];
}

/** Whether `finding` is what `decision` is about. */
function decides(decision: AppMeshDecision, finding: PlannedFinding): boolean {
  return decision.findingId === finding.id && (decision.path === undefined || decision.path === finding.path);
}

/**
 * Converts an app from AWS App Mesh to Service Connect, at construction, from the plan of
 * `AppMeshMigrationPlan` over its scope (the App, a Stage or a Stack).
 *
 * Each virtual node's ECS service gets Service Connect with the endpoints the plan proposes (the virtual
 * service name as client alias, so callers' URLs keep working): an L2 service through
 * `ClientServerService.attach` or `ClientService.attach`, an L1 or included one on its resource (checked
 * by `ServiceConnectChecks`). The port mappings get their names, listener and route timeouts and Envoy
 * access logs carry over, and the calls become `connectTo` edges (the edge that closes a cycle unordered).
 * Each task definition loses its Envoy container, the APPMESH proxy configuration and the containers'
 * dependencies on Envoy; IAM roles and policies lose their App Mesh grants. ECS services keep their
 * logical ids and are never replaced; task definitions get new revisions, as any change gives them.
 *
 * The conversion refuses (synth errors with the finding's id, path, value and fix) while a finding that
 * needs a decision has none (`decisions`). The App Mesh resources are removed from the template only
 * when `retainAppMeshResources` is false, which is the default for a new copy of the app only.
 *
 * Create it after every construct of the app it converts: it reads the tree when it is created.
 *
 * @example
 * // `app` is the new copy of the app: the same code as the deployed one, which still defines its mesh
 * new AppMeshConversion(app, 'AppMeshConversion', {
 *   namespace,
 *   decisions: [{
 *     findingId: 'AppMeshWeightedRoute',
 *     path: 'Shop/BackendRoute/Resource',
 *     keepTarget: 'backend-v2',
 *     reason: 'v2 has taken all the traffic since May',
 *   }],
 * });
 */
export class AppMeshConversion extends Construct {
  /** The metadata type under which the conversion records its report's file name. */
  public static readonly METADATA_TYPE = 'cdk-service-connect:app-mesh-conversion';

  /** The report (the plan, the decisions, what was converted and removed) as JSON, in the cloud assembly directory. */
  public readonly jsonFileName: string;

  /** The library's alarms on the converted servers (`alarms`), for gating a cutover. */
  public readonly alarms: cloudwatch.IAlarm[];

  private readonly converted: Converted[] = [];
  private readonly errors: string[] = [];
  private readonly removed: string[] = [];
  private readonly seenPaths: Set<string>;
  private nodeNames: string[] = [];

  constructor(scope: Construct, id: string, props: AppMeshConversionProps) {
    super(scope, id);
    const decisions = props.decisions ?? [];
    this.jsonFileName = artifactFileNames(this, { json: 'app-mesh-conversion.json' }).json;

    // Step 1: the plan, with the targets the decisions keep.
    const keepTargets: Record<string, string> = {};
    for (const decision of decisions.filter((d) => d.keepTarget !== undefined && d.path !== undefined)) {
      keepTargets[decision.path as string] = decision.keepTarget as string;
    }
    const facts = readAppMeshFacts(scope);
    const plan = planMigration(facts, { keepTargets });
    this.seenPaths = new Set(scope.node.findAll().filter(CfnResource.isCfnResource).map((r) => r.node.path));
    this.checkDecisions(plan, decisions, props);

    // Step 2: strip App Mesh from the task definitions and the IAM grants.
    const byPath = new Map(scope.node.findAll().map((c) => [c.node.path, c]));
    const nodesByTask = new Map(plan.nodes.filter((n) => n.taskDefinition !== undefined).map((n) => [n.taskDefinition as string, n]));
    const memoryFindings = new Set(plan.findings.filter((f) => f.id === 'AppMeshTaskMemory').map((f) => f.path));
    for (const task of facts.taskDefinitions) {
      const resource = byPath.get(task.path);
      if (!(resource instanceof ecs.CfnTaskDefinition)) {
        continue;
      }
      const strip = plan.strip.taskDefinitions.find((t) => t.taskDefinition === task.path);
      const names = portNamesOf(nodesByTask.get(task.path)?.endpoints ?? []);
      const l2 = resource.node.scope;
      if (l2 instanceof ecs.TaskDefinition && l2.node.defaultChild === resource) {
        namePortMappingsL2(l2, names, strip?.envoyContainer);
      }
      if (strip || names.length > 0 || memoryFindings.has(task.path)) {
        stripTaskDefinition(resource, strip, names, memoryFindings.has(task.path));
      }
    }
    for (const grant of plan.strip.grants) {
      const resource = byPath.get(grant.path);
      if (resource instanceof iam.CfnPolicy && onlyEnvoyStatements(Stack.of(resource).resolve(resource.policyDocument))) {
        // IAM refuses a policy without statements: the policy goes (it names its roles; nothing refers to it).
        this.remove(resource);
      } else if (CfnResource.isCfnResource(resource)) {
        stripGrant(resource);
      }
    }

    // Step 3: Service Connect on each node's ECS service, then the calls.
    this.nodeNames = plan.nodes.map((n) => n.name);
    for (const node of plan.nodes) {
      const cfnService = node.ecsService === undefined ? undefined : byPath.get(node.ecsService);
      if (cfnService instanceof ecs.CfnService) {
        const called = plan.edges.some((e) => e.mesh === node.mesh && e.server === node.name && e.client !== node.name);
        this.convert(node, cfnService, byPath, { ...props, alarms: called ? props.alarms : undefined });
      }
    }
    for (const edge of plan.edges) {
      const client = this.converted.find((c) => c.node.mesh === edge.mesh && c.node.name === edge.client);
      const server = this.converted.find((c) => c.node.mesh === edge.mesh && c.node.name === edge.server);
      if (client && server && client !== server) {
        this.connect(client, server, edge.ordered);
      }
    }
    this.alarms = this.converted.flatMap((c): cloudwatch.IAlarm[] => c.service instanceof ClientServerService
      ? [c.service.http5xxRateAlarm, c.service.targetResponseTimeAlarm].filter((a) => a !== undefined) : []);

    // Step 4: the App Mesh resources, retained or removed.
    const retain = props.retainAppMeshResources ?? (props.inPlace ? undefined : false);
    const meshResources = scope.node.findAll().filter(CfnResource.isCfnResource).filter((r) => r.cfnResourceType.startsWith('AWS::AppMesh::'));
    for (const resource of meshResources) {
      if (retain === true) {
        resource.applyRemovalPolicy(RemovalPolicy.RETAIN);
      } else if (retain === false) {
        this.remove(resource);
      }
    }

    // Step 5: findings as warnings, errors at synth, and the report.
    for (const finding of plan.findings.filter((f) => migrationRule(f.id).conversion === 'warning')) {
      addAcknowledgeableWarning(byPath.get(finding.path) ?? scope, `cdk-service-connect:${finding.id}`,
        pathError(finding.path, finding.problem, finding.value, finding.fix, finding.id).message);
    }
    this.node.addValidation({ validate: () => [...this.errors, ...this.lateAdditions(scope)] });
    writeArtifactsAtSynth(this, AppMeshConversion.METADATA_TYPE, { json: this.jsonFileName }, () => ({
      json: JSON.stringify({
        inPlace: props.inPlace ?? false,
        appMeshResources: retain === true ? 'retained' : retain === false ? 'removed' : 'undecided',
        decisions,
        converted: this.converted.map((c) => ({
          virtualNode: c.node.name, ecsService: c.cfnService.node.path, by: c.service?.node.path ?? 'its CloudFormation resource',
        })),
        removed: this.removed,
        plan,
      }, undefined, 2) + '\n',
    }));
  }

  /**
   * A rule that is in ALARM while any of `alarms` is, for a composite alarm that says whether the converted
   * copy is healthy (the cutover recipe gates each step on it).
   */
  public get alarmRule(): cloudwatch.IAlarmRule {
    return this.alarms.length > 0 ? cloudwatch.AlarmRule.anyOf(...this.alarms) : cloudwatch.AlarmRule.fromBoolean(false);
  }

  /** The library's construct for a virtual node's ECS service, when that service is an L2 one. */
  public serviceOf(virtualNodeName: string): ServiceConnectServiceBase | undefined {
    return this.converted.find((c) => c.node.name === virtualNodeName)?.service;
  }

  /** The refusals: findings that need a decision and have none, decisions that decide nothing, an undecided in-place removal. */
  private checkDecisions(plan: MigrationPlan, decisions: AppMeshDecision[], props: AppMeshConversionProps): void {
    // Service Connect TLS needs the issuing CA's ARN, which an ACM certificate on a listener does not give.
    const withTls = plan.nodes.filter((n) => n.ecsService !== undefined && n.endpoints.some((ep) => ep.tls));
    const tls: PlannedFinding[] = props.tls ? [] : withTls.map((n) => ({
      id: 'AppMeshPrivateCaTls',
      path: n.path,
      problem: `virtual node ${n.name} terminates TLS with an ACM Private CA certificate, and the conversion cannot tell which CA issued it`,
      value: n.endpoints.filter((ep) => ep.tls).map((ep) => `listener ${ep.containerPort ?? '?'}`).join(', '),
      fix: migrationRuleFix('AppMeshPrivateCaTls'),
    }));
    const findings = [...plan.findings, ...tls];
    for (const finding of [...plan.findings.filter((f) => migrationRule(f.id).conversion === 'decision'), ...tls]) {
      if (!decisions.some((d) => decides(d, finding))) {
        this.errors.push(pathError(finding.path, `${finding.problem}; the conversion needs a decision`, finding.value,
          `${finding.fix}; then record it: \`decisions: [{ findingId: '${finding.id}', path: '${finding.path}', ${
            finding.id === 'AppMeshWeightedRoute' ? 'keepTarget: \'<virtual node>\', ' : ''}reason: '...' }]\``, finding.id).message);
      }
    }
    for (const decision of decisions) {
      const matched = findings.filter((f) => decides(decision, f));
      const route = plan.findings.find((f) => f.id === 'AppMeshWeightedRoute' && f.path === decision.path);
      const targets = route?.value.split(', ').map((t) => t.replace(/=\d+(\.\d+)?$/, '')) ?? [];
      const problem = matched.length === 0 ? 'the decision matches no finding of the plan'
        : typeof decision.reason !== 'string' || decision.reason.trim() === '' ? 'the decision gives no reason'
          : decision.keepTarget !== undefined && (decision.findingId !== 'AppMeshWeightedRoute' || decision.path === undefined || !targets.includes(decision.keepTarget))
            ? `keepTarget is not a target of the weighted route${targets.length > 0 ? ` (targets: ${targets.join(', ')})` : ' (give the route\'s `path`)'}` : undefined;
      if (problem) {
        this.errors.push(pathError(this.node.path, problem, JSON.stringify(decision), migrationRuleFix('AppMeshDecisionInvalid'), 'AppMeshDecisionInvalid').message);
      }
    }
    if (props.inPlace && props.retainAppMeshResources === undefined) {
      this.errors.push(pathError(this.node.path, 'an in-place conversion must say what becomes of the deployed App Mesh resources',
        'retainAppMeshResources not set', migrationRuleFix('AppMeshResourcesDecision'), 'AppMeshResourcesDecision').message);
    }
  }

  /** Removes a resource from the template: its L2 construct when it is the L2's own resource, else itself. */
  private remove(resource: CfnResource): void {
    const parent = resource.node.scope;
    const owner = parent && parent.node.defaultChild === resource && parent.node.scope && !Stack.isStack(parent) ? parent : resource;
    if (owner.node.scope?.node.tryRemoveChild(owner.node.id)) {
      this.removed.push(resource.node.path);
    }
  }

  /** The construct id of a node's conversion: its name, with its mesh's when another mesh of the scope has a node of that name. */
  private idOf(node: PlannedNode): string {
    return this.nodeNames.filter((n) => n === node.name).length > 1 ? `${node.mesh}-${node.name}` : node.name;
  }

  /** Where the conversion's constructs for a service go: one construct per stack, named like the conversion. */
  private holderIn(service: IConstruct): Construct {
    const stack = Stack.of(service);
    const id = this.node.id;
    return (stack.node.tryFindChild(id) as Construct | undefined) ?? new Construct(stack, id);
  }

  private convert(node: PlannedNode, cfnService: ecs.CfnService, byPath: Map<string, IConstruct>, props: AppMeshConversionProps): void {
    const holder = this.holderIn(cfnService);
    const endpoints: ServiceConnectEndpoint[] = node.endpoints.map((ep) => ({
      portMappingName: ep.portMappingName,
      discoveryName: ep.discoveryName,
      dnsName: ep.dnsName,
      port: ep.port,
      idleTimeout: ep.idleTimeoutSeconds === undefined ? undefined : durationOf(ep.idleTimeoutSeconds),
      perRequestTimeout: ep.perRequestTimeoutSeconds === undefined ? undefined : durationOf(ep.perRequestTimeoutSeconds),
      tls: ep.tls ? props.tls : undefined,
    }));
    const accessLogs = props.accessLogs ?? (node.accessLogFormat === undefined ? undefined
      : { format: node.accessLogFormat === 'json' ? AccessLogFormat.JSON : AccessLogFormat.TEXT });
    const l2 = cfnService.node.scope;
    if (l2 instanceof ecs.BaseService && l2.node.defaultChild === cfnService) {
      const options = { service: l2, namespace: props.namespace, proxyLogs: props.proxyLogs ?? {}, accessLogs };
      const id = this.idOf(node);
      const service = endpoints.length > 0
        ? ClientServerService.attach(holder, id, { ...options, endpoints, alarms: props.alarms })
        : ClientService.attach(holder, id, options);
      this.converted.push({ node, cfnService, service, endpoints: service.endpoints, securityGroupIds: [] });
      return;
    }
    if (cfnService.serviceConnectConfiguration !== undefined) {
      this.errors.push(pathError(cfnService.node.path, 'the ECS service already has a Service Connect configuration', 'ServiceConnectConfiguration',
        migrationRuleFix('AppMeshServiceConfigured'), 'AppMeshServiceConfigured').message);
      return;
    }
    this.converted.push({
      node,
      cfnService,
      endpoints: this.convertL1(holder, node, cfnService, byPath.get(node.taskDefinition ?? ''), endpoints, accessLogs, props),
      securityGroupIds: securityGroupIdsOf(cfnService),
    });
  }

  /**
   * Service Connect on an L1 ECS service: the configuration the library renders, the proxy's log group
   * (with an execution role for a task definition without one) and the library's checks.
   */
  private convertL1(
    holder: Construct, node: PlannedNode, cfnService: ecs.CfnService, task: IConstruct | undefined, endpoints: ServiceConnectEndpoint[],
    accessLogs: ServiceConnectAccessLogOptions | undefined, props: AppMeshConversionProps,
  ): ResolvedEndpoint[] {
    const scope = new Construct(holder, this.idOf(node));
    const networkMode = task instanceof ecs.CfnTaskDefinition ? Stack.of(task).resolve(task.networkMode) : undefined;
    const rendered = endpoints.map((declared, i) => {
      const planned = node.endpoints[i];
      const portMapping: ecs.PortMapping | undefined = planned.containerPort === undefined ? undefined : {
        name: declared.portMappingName,
        containerPort: planned.containerPort,
        appProtocol: planned.appProtocol === undefined ? undefined : { value: planned.appProtocol } as ecs.AppProtocol,
      };
      return { declared, resolved: resolveEndpoint(declared, portMapping, networkMode as ecs.NetworkMode) };
    });
    let logConfiguration: ecs.CfnService.LogConfigurationProperty | undefined;
    if ((props.proxyLogs?.enabled ?? true) && task instanceof ecs.CfnTaskDefinition) {
      const logGroup: logs.ILogGroup = newLogGroup(scope, 'ProxyLogGroup', props.proxyLogs ?? {});
      let role: iam.IRole;
      if (task.executionRoleArn === undefined) {
        role = new iam.Role(scope, 'ExecutionRole', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') });
        task.executionRoleArn = role.roleArn;
      } else {
        role = iam.Role.fromRoleArn(scope, 'ExecutionRole', task.executionRoleArn, { mutable: true });
      }
      logGroup.grantWrite(role);
      logConfiguration = renderProxyLogs(cfnService, { logGroup, streamPrefix: props.proxyLogs?.streamPrefix ?? 'service-connect' });
    }
    cfnService.serviceConnectConfiguration = renderServiceConnect(props.namespace.namespaceArn,
      rendered.length > 0 ? rendered : undefined, logConfiguration);
    if (accessLogs) {
      // Without the proxy's logs, ServiceConnectChecks reports AccessLogsNeedProxyLogs.
      addAccessLogs(scope, cfnService, accessLogs);
    }
    // The configuration refers to the namespace's ARN, which orders the service after it (across stacks, a stack dependency).
    Aspects.of(cfnService).add(new ServiceConnectChecks());
    return rendered.map((r) => r.resolved);
  }

  /** A call from one converted service to another: ordering (unless it closes a cycle) and security-group ingress. */
  private connect(client: Converted, server: Converted, ordered: boolean): void {
    if (client.service && server.service instanceof ClientServerService) {
      client.service.connectTo(server.service, { ordered });
      return;
    }
    if (ordered) {
      // The client resolves only the endpoints that exist when its tasks start: it deploys after the server.
      client.cfnService.node.addDependency(server.cfnService);
    }
    const serverGroups = server.service ? server.service.connections.securityGroups.map((g) => g.securityGroupId) : server.securityGroupIds;
    const clientGroups = client.service ? client.service.connections.securityGroups.map((g) => g.securityGroupId) : client.securityGroupIds;
    const ports = [...new Set(server.endpoints.map((ep) => ep.listenPort).filter((p): p is number => p !== undefined))];
    const holder = new Construct(this.holderIn(server.cfnService), `${client.node.name}-to-${server.node.name}`);
    serverGroups.forEach((groupId, g) => clientGroups.forEach((sourceId, c) => ports.forEach((port) => {
      new ec2.CfnSecurityGroupIngress(holder, `Ingress${g}-${c}-${port}`, {
        groupId,
        sourceSecurityGroupId: sourceId,
        ipProtocol: 'tcp',
        fromPort: port,
        toPort: port,
        description: `Service Connect: ${client.node.name} calls ${server.node.name} on ${port}`,
      });
    })));
    if (serverGroups.length === 0 || clientGroups.length === 0) {
      Annotations.of(server.cfnService).addInfo(`${server.cfnService.node.path}: no security group rule for ${client.node.name}: `
        + 'the ECS service of one of them names no security group the conversion can read');
    }
  }

  /** App Mesh resources or Envoy task definitions under the scope that the conversion did not see. */
  private lateAdditions(scope: IConstruct): string[] {
    const late = scope.node.findAll().filter(CfnResource.isCfnResource)
      .filter((r) => !this.seenPaths.has(r.node.path) && (r.cfnResourceType.startsWith('AWS::AppMesh::') || isEnvoyTask(r)));
    return late.map((r) => pathError(r.node.path, 'an App Mesh resource or Envoy task the conversion did not see: it was added after the conversion',
      r.cfnResourceType, migrationRuleFix('AppMeshConvertedLate'), 'AppMeshConvertedLate').message);
  }
}

/** A task definition with an Envoy container. */
function isEnvoyTask(resource: CfnResource): boolean {
  return resource instanceof ecs.CfnTaskDefinition && /aws-appmesh-envoy|APPMESH_/.test(JSON.stringify(Stack.of(resource).resolve(resource.containerDefinitions) ?? ''));
}

/** The fix of one of the conversion's own rules. */
function migrationRuleFix(id: string): string {
  return CONVERSION_RULES.find((rule) => rule.id === id)?.fix ?? '';
}

/** The security groups an L1 ECS service's awsvpc configuration names (ids or tokens), when it names them in the app. */
function securityGroupIdsOf(service: ecs.CfnService): string[] {
  const network = service.networkConfiguration as ecs.CfnService.NetworkConfigurationProperty | undefined;
  const awsvpc = network === undefined || Token.isUnresolved(network) ? undefined
    : network.awsvpcConfiguration as ecs.CfnService.AwsVpcConfigurationProperty | undefined;
  const groups = awsvpc === undefined || Token.isUnresolved(awsvpc) ? undefined : awsvpc.securityGroups;
  return Array.isArray(groups) ? groups.filter((g) => typeof g === 'string') : [];
}

/** An App Mesh timeout as a Service Connect one, which ECS takes in whole seconds: rounded up. */
function durationOf(seconds: number): Duration {
  return Duration.seconds(Math.ceil(seconds));
}
