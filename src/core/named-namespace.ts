import { CfnElement, CfnResource, Lazy, Token } from 'aws-cdk-lib';
import * as servicediscovery from 'aws-cdk-lib/aws-servicediscovery';
import { Construct, IConstruct } from 'constructs';
import { findNamedNamespace } from './existing-config';
import { referencedElements } from './references';
import { pathError } from '../errors';
import { ServiceConnectNamespace } from '../namespace';
import { AppWiring } from '../topology/wiring';
import type { IServiceConnectNamespace } from '../types';

/*
 * The namespace a service's own Service Connect configuration names, found the way ECS finds it: the
 * value is a namespace name or ARN. It is a wrapper of the app (by ARN, else by name), a Cloud Map
 * namespace of the app (referred to by Ref or GetAtt, or named by its literal name), or a namespace the
 * app does not define, imported implicitly by its ARN or name. Never the cluster's default instead:
 * a configuration that names a namespace is in that namespace.
 */

const CLOUD_MAP_NAMESPACE_TYPES = [
  servicediscovery.CfnHttpNamespace.CFN_RESOURCE_TYPE_NAME,
  servicediscovery.CfnPrivateDnsNamespace.CFN_RESOURCE_TYPE_NAME,
  servicediscovery.CfnPublicDnsNamespace.CFN_RESOURCE_TYPE_NAME,
];

/** `arn:<partition>:servicediscovery:<region>:<account>:namespace/<id>`. */
const NAMESPACE_ARN = /^arn:aws[a-z-]*:servicediscovery:[^:]*:[^:]*:namespace\/[^/]+$/;

type CloudMapNamespaceResource = CfnResource & { readonly name?: string; readonly attrArn: string };

function isCloudMapNamespace(element: IConstruct): element is CloudMapNamespaceResource {
  return CfnResource.isCfnResource(element) && CLOUD_MAP_NAMESPACE_TYPES.includes(element.cfnResourceType);
}

/** The wrapper of a Cloud Map namespace resource of the app: one per resource, a child of its L2 (or of the L1 alone). */
function wrapperOf(resource: CloudMapNamespaceResource): IServiceConnectNamespace {
  const id = 'ServiceConnectNamespace';
  const parent = resource.node.scope as (IConstruct & Partial<servicediscovery.INamespace>) | undefined;
  const l2 = parent && parent.node.defaultChild === resource && typeof parent.namespaceArn === 'string'
    ? parent as servicediscovery.INamespace : undefined;
  const home: Construct = (l2 ?? resource) as unknown as Construct;
  const known = home.node.tryFindChild(id) as IServiceConnectNamespace | undefined;
  if (known) {
    return known;
  }
  return l2 ? ServiceConnectNamespace.fromNamespace(home, id, l2)
    : ServiceConnectNamespace.fromNamespaceArn(home, id, resource.attrArn, resource.name);
}

/**
 * The namespace that `configuration` (a Service Connect configuration the service had of its own) names;
 * `named` is its namespace value, resolved. `candidates` are the wrappers the app has, the cluster's
 * default first.
 */
export function namespaceNamedBy(
  scope: Construct, configuration: unknown, named: unknown, candidates: IServiceConnectNamespace[],
): IServiceConnectNamespace {
  const known = findNamedNamespace(scope, named, candidates);
  if (known) {
    return known;
  }
  // A Cloud Map namespace of the app, referred to by Ref or GetAtt (its ARN, most often).
  const referred = referencedElements(scope, configuration).filter((element: CfnElement) => isCloudMapNamespace(element));
  if (referred.length === 1) {
    return wrapperOf(referred[0] as CloudMapNamespaceResource);
  }
  const wiring = AppWiring.of(scope);
  const key = JSON.stringify(named);
  const implicit = wiring.implicitNamespace(key);
  if (implicit) {
    return implicit;
  }
  let found: IServiceConnectNamespace;
  if (typeof named === 'string' && NAMESPACE_ARN.test(named)) {
    found = ServiceConnectNamespace.fromNamespaceArn(scope, 'Namespace', named);
  } else if (typeof named === 'string') {
    // A Cloud Map namespace of the app with that literal name is the one ECS finds by name.
    const sameName = scope.node.root.node.findAll()
      .filter((c): c is CloudMapNamespaceResource => isCloudMapNamespace(c) && c.name === named);
    if (sameName.length > 1) {
      throw pathError(scope.node.path, 'the service\'s Service Connect configuration names a namespace by a name that several Cloud Map namespaces of the app have',
        `namespace '${named}': ${sameName.map((c) => c.node.path).join(', ')}`,
        'name the namespace by its ARN in the configuration (`namespace.namespaceArn`), or pass `namespace` to attach', 'NamespaceNamed');
    }
    found = sameName.length === 1 ? wrapperOf(sameName[0]) : ServiceConnectNamespace.fromNamespaceName(scope, 'Namespace', named);
  } else {
    // A parameter or an import: whichever namespace it names at deployment, the same value is the same namespace.
    found = ServiceConnectNamespace.fromNamespaceName(scope, 'Namespace', Token.asString(Lazy.any({ produce: () => named })));
  }
  wiring.addImplicitNamespace(key, found);
  return found;
}
