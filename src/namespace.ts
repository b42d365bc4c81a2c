import { CfnResource } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as servicediscovery from 'aws-cdk-lib/aws-servicediscovery';
import { Construct } from 'constructs';
import { propError } from './errors';
import { writeTopologyAtSynth } from './monitoring/topology';
import { NAMESPACE_RULES } from './rules/catalog';
import { evaluate } from './rules/engine';
import { namespaceFacts } from './rules/members';
import { AppWiring } from './topology/wiring';
import type { IServiceConnectNamespace, IServiceConnectService } from './types';

/**
 * Properties of a `ServiceConnectNamespace`.
 */
export interface ServiceConnectNamespaceProps {
  /**
   * Name of the AWS Cloud Map HTTP namespace, for example `shop.internal`.
   */
  readonly name: string;

  /**
   * Description of the namespace.
   *
   * @default - no description
   */
  readonly description?: string;

  /**
   * Clusters whose default Service Connect namespace this namespace becomes.
   * Services in those clusters may then omit `namespace`.
   *
   * @default - the namespace is no cluster's default
   */
  readonly defaultFor?: ecs.ICluster[];
}

/** Which namespace each cluster defaults to, as set by `makeDefaultFor`. */
const clusterDefaults = new WeakMap<ecs.ICluster, IServiceConnectNamespace>();

abstract class NamespaceBase extends Construct implements IServiceConnectNamespace {
  public abstract readonly cloudMapNamespace: servicediscovery.INamespace;
  private readonly joined: IServiceConnectService[] = [];

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const wiring = AppWiring.of(this);
    wiring.addNamespace(this);
    // Namespace-wide rules see every member, whichever stack and whichever wrapper of the same Cloud Map
    // namespace it joined. The wrapper first in path order reports for all of them.
    this.node.addValidation({
      validate: () => {
        const group = wiring.groupOf(this);
        if (group.wrappers[0] !== this) {
          return [];
        }
        return evaluate(this, NAMESPACE_RULES, namespaceFacts(this, group.services), new Map(group.services.map((s) => [s.node.path, s])));
      },
    });
    writeTopologyAtSynth(this, wiring);
  }

  public get namespaceName(): string {
    return this.cloudMapNamespace.namespaceName;
  }

  public get namespaceArn(): string {
    return this.cloudMapNamespace.namespaceArn;
  }

  public get namespaceId(): string {
    return this.cloudMapNamespace.namespaceId;
  }

  public get services(): IServiceConnectService[] {
    return [...this.joined];
  }

  public registerService(service: IServiceConnectService): void {
    if (!this.joined.includes(service)) {
      this.joined.push(service);
    }
  }

  public makeDefaultFor(cluster: ecs.ICluster): void {
    const existing = clusterDefaults.get(cluster);
    if (existing && existing !== this) {
      throw propError(cluster, 'the cluster already defaults to another Service Connect namespace; a cluster has one default namespace',
        `default namespace ${existing.node.path}`, 'call makeDefaultFor on one namespace only');
    }
    const cfnCluster = cluster.node.defaultChild;
    if (!CfnResource.isCfnResource(cfnCluster) || cfnCluster.cfnResourceType !== ecs.CfnCluster.CFN_RESOURCE_TYPE_NAME) {
      throw propError(cluster, 'only a cluster created in this app can get a default Service Connect namespace', 'an imported cluster',
        'pass `namespace` to each service instead');
    }
    (cfnCluster as ecs.CfnCluster).serviceConnectDefaults = { namespace: this.namespaceArn };
    clusterDefaults.set(cluster, this);
  }
}

/**
 * The AWS Cloud Map namespace that Service Connect services join.
 *
 * It creates an HTTP namespace (the guide's recommendation: API calls only, no Route 53 hosted zone),
 * or wraps an existing namespace of any type with `fromNamespace`. It records every service that
 * joins it, so that namespace-wide rules can see the whole namespace across stacks.
 *
 * @example
 * const namespace = new ServiceConnectNamespace(this, 'Namespace', { name: 'shop.internal' });
 */
export class ServiceConnectNamespace extends NamespaceBase {
  /**
   * Wraps an existing Cloud Map namespace (HTTP, private DNS or public DNS) so services can join it.
   * When `namespace` is a construct of this app, services still wait for its creation.
   */
  public static fromNamespace(scope: Construct, id: string, namespace: servicediscovery.INamespace): IServiceConnectNamespace {
    return new ImportedNamespace(scope, id, namespace);
  }

  /**
   * The namespace a cluster defaults to: the one set by `makeDefaultFor`, or else the cluster's own
   * default Cloud Map namespace (`cluster.addDefaultCloudMapNamespace`), wrapped.
   *
   * @returns undefined when the cluster has no default namespace
   */
  public static ofCluster(cluster: ecs.ICluster): IServiceConnectNamespace | undefined {
    const known = clusterDefaults.get(cluster);
    if (known) {
      return known;
    }
    const cloudMap = cluster.defaultCloudMapNamespace;
    if (!cloudMap) {
      return undefined;
    }
    const id = 'ServiceConnectNamespace';
    const wrapped = (cluster.node.tryFindChild(id) as IServiceConnectNamespace | undefined)
      ?? ServiceConnectNamespace.fromNamespace(cluster, id, cloudMap);
    clusterDefaults.set(cluster, wrapped);
    return wrapped;
  }

  /** The HTTP namespace this construct created. */
  public readonly cloudMapNamespace: servicediscovery.INamespace;

  constructor(scope: Construct, id: string, props: ServiceConnectNamespaceProps) {
    super(scope, id);
    this.cloudMapNamespace = new servicediscovery.HttpNamespace(this, 'Resource', {
      name: props.name,
      description: props.description,
    });
    for (const cluster of props.defaultFor ?? []) {
      this.makeDefaultFor(cluster);
    }
  }
}

class ImportedNamespace extends NamespaceBase {
  constructor(scope: Construct, id: string, public readonly cloudMapNamespace: servicediscovery.INamespace) {
    super(scope, id);
  }
}
