import { Aws, CfnResource, Fn, Lazy, Names, Stack, Token } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as ram from 'aws-cdk-lib/aws-ram';
import * as servicediscovery from 'aws-cdk-lib/aws-servicediscovery';
import { Construct } from 'constructs';
import { describeGiven, pathError, propError } from './errors';
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

/**
 * Options for sharing a namespace with other accounts through AWS Resource Access Manager (RAM).
 */
export interface NamespaceShareOptions {
  /**
   * Who the namespace is shared with: 12-digit AWS account ids, organizational unit ARNs
   * (`arn:aws:organizations::111122223333:ou/o-exampleorgid/ou-examplerootid-exampleouid`) or organization
   * ARNs (`arn:aws:organizations::111122223333:organization/o-exampleorgid`). At least one; tokens are
   * accepted as they are, and a principal listed twice is shared with once.
   */
  readonly principals: string[];

  /**
   * Whether the share may include principals outside your AWS organization. An account outside the
   * organization, or any account when RAM sharing with AWS Organizations is not enabled, needs `true`,
   * and then accepts the share's invitation.
   *
   * @default false - only principals in your organization (CloudFormation's own default is true)
   */
  readonly allowExternalPrincipals?: boolean;

  /**
   * Name of the resource share.
   *
   * @default - a name unique in the app, made from the construct path
   */
  readonly shareName?: string;
}

/** The RAM managed permission that Service Connect needs on a shared namespace (service-connect-shared-namespaces). */
const CLOUD_MAP_ECS_PERMISSION = 'AWSRAMPermissionCloudMapECSFullPermission';

/** `arn:<partition>:servicediscovery:<region>:<account>:namespace/<id>`, capturing the id. */
const NAMESPACE_ARN = /^arn:aws[a-z-]*:servicediscovery:[a-z]{2}(?:-[a-z]+)+-\d+:\d{12}:namespace\/(ns-[a-z0-9]+)$/;
const ACCOUNT_ID = /^\d{12}$/;
const ORGANIZATION_ARN = /^arn:aws[a-z-]*:organizations::\d{12}:organization\/o-[a-z0-9]{10,32}$/;
const OU_ARN = /^arn:aws[a-z-]*:organizations::\d{12}:ou\/o-[a-z0-9]{10,32}\/ou-[a-z0-9]{4,32}-[a-z0-9]{8,32}$/;

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
    if (typeof cluster?.node?.path !== 'string') {
      throw propError(this, 'makeDefaultFor needs an ECS cluster', `cluster ${describeGiven(cluster)}`, 'pass an `ecs.Cluster` created in this app');
    }
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
 * or wraps an existing namespace of any type with `fromNamespace`, or imports one by ARN with
 * `fromNamespaceArn` (a namespace another account shares through AWS RAM). It records every service that
 * joins it, so that namespace-wide rules can see the whole namespace across stacks. `shareWith` shares a
 * namespace it created with other accounts.
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
   * Imports a namespace by its ARN: typically one that another account owns and shares with this
   * account through AWS RAM (`shareWith` in the owner's app). It must be in the same region as the
   * services that join it (rule `NamespaceSameRegion`); another account is fine. The services'
   * Service Connect configuration and `makeDefaultFor` refer to it by ARN, as a shared namespace needs.
   *
   * Any namespace type works (HTTP, private DNS, public DNS); `cloudMapNamespace` reports HTTP, a type
   * Service Connect does not look at. An imported namespace cannot be shared again: only its owner can.
   *
   * @param namespaceArn `arn:<partition>:servicediscovery:<region>:<account>:namespace/ns-<id>`, for
   * example the owner stack's output. A token is accepted and checked only at deployment.
   * @param namespaceName name of the namespace (`shop.internal`), used in messages, the topology and
   * dashboards; when omitted, the namespace id from the ARN stands in for it.
   */
  public static fromNamespaceArn(scope: Construct, id: string, namespaceArn: string, namespaceName?: string): IServiceConnectNamespace {
    return new ArnNamespace(scope, id, namespaceArn, namespaceName);
  }

  /**
   * Imports a namespace by its name alone, as ECS takes it in a service's Service Connect configuration
   * and in a cluster's `ServiceConnectDefaults`: ECS looks the name up among the Cloud Map namespaces of the
   * service's account and region. `namespaceArn` and `namespaceId` return the name, which the services'
   * configuration then carries in place of the ARN. `attach` imports a namespace this way when a service's
   * own configuration names one that the app does not define.
   *
   * A namespace shared from another account must be named by ARN (`fromNamespaceArn`).
   *
   * @param namespaceName name of the Cloud Map namespace, e.g. `shop.internal`
   */
  public static fromNamespaceName(scope: Construct, id: string, namespaceName: string): IServiceConnectNamespace {
    return new NameNamespace(scope, id, namespaceName);
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
    if (typeof props?.name !== 'string' || props.name.length === 0) {
      throw propError(this, 'a namespace needs a name', `name ${typeof props?.name === 'string' ? "''" : describeGiven(props?.name)}`,
        'pass `name`, the Cloud Map namespace name, e.g. `shop.internal`');
    }
    this.cloudMapNamespace = new servicediscovery.HttpNamespace(this, 'Resource', {
      name: props.name,
      description: props.description,
    });
    if (props.defaultFor !== undefined && !Array.isArray(props.defaultFor)) {
      throw propError(this, '`defaultFor` is not a list', `defaultFor ${describeGiven(props.defaultFor)}`, 'pass a list of clusters: `defaultFor: [cluster]`');
    }
    for (const cluster of props.defaultFor ?? []) {
      this.makeDefaultFor(cluster);
    }
  }

  /**
   * Shares the namespace through AWS RAM with other accounts, organizational units or an organization,
   * with the `AWSRAMPermissionCloudMapECSFullPermission` managed permission that Service Connect needs.
   * Services in those accounts, in the same region, then join it with
   * `ServiceConnectNamespace.fromNamespaceArn` and the namespace's ARN.
   *
   * @param id construct id of the resource share, a child of this namespace
   * @returns the RAM resource share (aws-cdk-lib has only the L1)
   */
  public shareWith(id: string, options: NamespaceShareOptions): ram.CfnResourceShare {
    const given: unknown = options?.principals;
    if (given !== undefined && (!Array.isArray(given) || !given.every((p) => typeof p === 'string'))) {
      throw propError(this, 'share principals must be a list of strings', `principals ${describeGiven(given)}`,
        'list the 12-digit account ids, organizational unit ARNs or organization ARNs to share with');
    }
    const principals = [...new Set(options?.principals ?? [])];
    if (principals.length === 0) {
      throw propError(this, 'a namespace share needs at least one principal', 'principals []',
        'list the 12-digit account ids, organizational unit ARNs or organization ARNs to share with');
    }
    const owner = Stack.of(this).account;
    for (const principal of principals) {
      if (Token.isUnresolved(principal)) {
        continue;
      }
      if (![ACCOUNT_ID, ORGANIZATION_ARN, OU_ARN].some((pattern) => pattern.test(principal))) {
        throw propError(this, 'a share principal is not an account id, an organizational unit ARN or an organization ARN',
          `principal ${JSON.stringify(principal)}`,
          'use a 12-digit account id, arn:aws:organizations::<management account>:ou/o-<org>/ou-<root>-<ou> or arn:aws:organizations::<management account>:organization/o-<org>');
      }
      if (principal === owner) {
        throw propError(this, 'a namespace cannot be shared with the account that owns it', `principal ${principal}`,
          'remove the owner account from principals; its services join the namespace directly');
      }
    }
    const share: ram.CfnResourceShare = new ram.CfnResourceShare(this, id, {
      name: options?.shareName ?? Lazy.string({ produce: () => Names.uniqueResourceName(share, { maxLength: 255 }) }),
      resourceArns: [this.namespaceArn],
      principals,
      permissionArns: [`arn:${Aws.PARTITION}:ram::aws:permission/${CLOUD_MAP_ECS_PERMISSION}`],
      allowExternalPrincipals: options?.allowExternalPrincipals ?? false,
    });
    return share;
  }
}

class ImportedNamespace extends NamespaceBase {
  public readonly cloudMapNamespace: servicediscovery.INamespace;

  constructor(scope: Construct, id: string, cloudMapNamespace: servicediscovery.INamespace) {
    // Checked before the construct joins the tree and the app model, so a refused namespace leaves no trace.
    if (typeof cloudMapNamespace?.namespaceArn !== 'string' || typeof cloudMapNamespace.node?.path !== 'string') {
      throw pathError([scope.node.path, id].filter(Boolean).join('/'), 'fromNamespace needs a Cloud Map namespace',
        `namespace ${describeGiven(cloudMapNamespace)}`, 'pass a `servicediscovery.INamespace` (an HttpNamespace, PrivateDnsNamespace or PublicDnsNamespace, or one imported with their fromXxxAttributes)');
    }
    super(scope, id);
    this.cloudMapNamespace = cloudMapNamespace;
  }
}

/** The Cloud Map id of a namespace ARN (`ns-...`), or a CloudFormation expression for a token ARN. */
function namespaceIdOf(path: string, namespaceArn: string): string {
  if (Token.isUnresolved(namespaceArn)) {
    return Fn.select(1, Fn.split('/', namespaceArn));
  }
  const match = typeof namespaceArn === 'string' ? NAMESPACE_ARN.exec(namespaceArn) : null;
  if (!match) {
    throw pathError(path, 'the namespace ARN is not a Cloud Map namespace ARN', typeof namespaceArn === 'string' ? JSON.stringify(namespaceArn) : describeGiven(namespaceArn),
      'pass the ARN, not the id or the name: arn:<partition>:servicediscovery:<region>:<account>:namespace/ns-<id> (the owner\'s stack output, or `aws servicediscovery get-namespace`)');
  }
  return match[1];
}

/** A namespace imported by ARN, often one another account shares through AWS RAM. */
class ArnNamespace extends NamespaceBase {
  public readonly cloudMapNamespace: servicediscovery.INamespace;

  constructor(scope: Construct, id: string, namespaceArn: string, namespaceName?: string) {
    // Checked before the construct joins the tree and the app model, so a refused ARN leaves no trace.
    const namespaceId = namespaceIdOf([scope.node.path, id].filter(Boolean).join('/'), namespaceArn);
    super(scope, id);
    this.cloudMapNamespace = servicediscovery.HttpNamespace.fromHttpNamespaceAttributes(this, 'Resource', {
      namespaceArn,
      namespaceId,
      namespaceName: namespaceName ?? namespaceId,
    });
  }

  /** Not part of the interface; refuses clearly when JavaScript calls it anyway. */
  public shareWith(): never {
    throw propError(this, 'only the account that owns a namespace can share it', 'a namespace imported by ARN',
      'call shareWith on the ServiceConnectNamespace in the owner account\'s app');
  }
}

/** A namespace known only by its name, which ECS accepts wherever it accepts the ARN. */
class NameNamespace extends NamespaceBase {
  public readonly cloudMapNamespace: servicediscovery.INamespace;

  constructor(scope: Construct, id: string, namespaceName: string) {
    // Checked before the construct joins the tree and the app model, so a refused name leaves no trace.
    if (typeof namespaceName !== 'string' || namespaceName.length === 0) {
      throw pathError([scope.node.path, id].filter(Boolean).join('/'), 'a namespace imported by name needs its name',
        `name ${typeof namespaceName === 'string' ? "''" : describeGiven(namespaceName)}`, 'pass the Cloud Map namespace name, e.g. `shop.internal`');
    }
    super(scope, id);
    this.cloudMapNamespace = servicediscovery.HttpNamespace.fromHttpNamespaceAttributes(this, 'Resource', {
      namespaceArn: namespaceName,
      namespaceId: namespaceName,
      namespaceName,
    });
  }
}
