import * as path from 'path';
import { CustomResource, Duration, Stack, Token } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as servicediscovery from 'aws-cdk-lib/aws-servicediscovery';
import { Construct, IConstruct } from 'constructs';
import { propError } from '../errors';

/*
 * The Cloud Map service ECS creates for a Service Connect endpoint, as a `servicediscovery.IService`. Its id
 * and ARN are known only once ECS has created it, and CloudFormation returns neither, so a custom resource
 * looks them up at deploy time, after the ECS service (aws/aws-cdk#31215,
 * aws-cloudformation/cloudformation-coverage-roadmap#2102).
 */

/** Construct id of the lookup function (with its role and log group) at the top of each stack that needs one. */
export const LOOKUP_FUNCTION_ID = 'ServiceConnectCloudMapLookup';

/** The custom resource type: CloudFormation shows it in events and drift. */
export const LOOKUP_RESOURCE_TYPE = 'Custom::ServiceConnectCloudMapService';

/**
 * cdk-nag's finding on the role's `servicediscovery:ListServices` statement, and why it stands. The service
 * authorization reference for AWS Cloud Map lists no resource type and no condition key for ListServices
 * (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awscloudmap.html), so IAM only
 * accepts `*` as its resource. GetService can be scoped, but needs the service id, which is what is looked
 * up. The statement allows that one List-level action: the names, ids and ARNs of the account's Cloud Map
 * services, which the function only reads.
 */
const NAG_IAM5_FINDING = 'AwsSolutions-IAM5[Resource::*]';
const NAG_IAM5_REASON = 'servicediscovery:ListServices supports no resource-level permission (the service authorization reference lists '
  + 'no resource type for it), so its resource must be *; the role allows only that List-level action, besides writing to its own log group.';

/** The newest Node.js runtime the installed aws-cdk-lib names, from Node.js 22 (the newest at the floor, 2.178.0) up. */
function nodeRuntime(): lambda.Runtime {
  const named = lambda.Runtime as unknown as Record<string, lambda.Runtime | undefined>;
  return named.NODEJS_24_X ?? lambda.Runtime.NODEJS_22_X;
}

/** The stack's lookup function: one per stack, shared by every lookup in it. */
class LookupFunction extends Construct {
  /** The function in `scope`'s stack, created on first use. */
  public static of(scope: IConstruct): LookupFunction {
    const stack = Stack.of(scope);
    return (stack.node.tryFindChild(LOOKUP_FUNCTION_ID) as LookupFunction | undefined) ?? new LookupFunction(stack, LOOKUP_FUNCTION_ID);
  }

  public readonly function: lambda.Function;

  private constructor(scope: Construct, id: string) {
    super(scope, id);
    const logGroup = new logs.LogGroup(this, 'LogGroup', { retention: logs.RetentionDays.ONE_MONTH });
    // A role of its own, not the default one with the AWS managed AWSLambdaBasicExecutionRole policy: the
    // function may write to its own log group and list Cloud Map services, nothing else.
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Looks up the Cloud Map service ECS created for a Service Connect endpoint (cdk-service-connect)',
      inlinePolicies: {
        LookUp: new iam.PolicyDocument({
          statements: [
            new iam.PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logGroup.logGroupArn] }),
            // See NAG_IAM5_REASON: ListServices takes no resource-level permission.
            new iam.PolicyStatement({ actions: ['servicediscovery:ListServices'], resources: ['*'] }),
          ],
        }),
      },
    });
    role.node.addMetadata('aws:cdk:acknowledged-rules', { [NAG_IAM5_FINDING]: NAG_IAM5_REASON });
    this.function = new lambda.Function(this, 'Function', {
      runtime: nodeRuntime(),
      handler: 'index.handler',
      code: lambda.Code.fromAsset(path.join(__dirname, 'lookup-handler')),
      role,
      logGroup,
      // Long enough for ECS to finish creating the service: the handler retries until 20 s are left.
      timeout: Duration.minutes(10),
      memorySize: 256,
      description: 'Looks up the Cloud Map service ECS created for a Service Connect endpoint (cdk-service-connect)',
    });
  }
}

/** What a lookup needs. */
export interface CloudMapLookupProps {
  readonly namespace: servicediscovery.INamespace;
  readonly discoveryName: string;
  /** The ECS service that creates the Cloud Map service: the lookup runs after it. */
  readonly ecsService: ecs.IService;
}

/** The lookup of one endpoint's Cloud Map service, and the service as an `IService`. */
export class CloudMapServiceLookup extends Construct {
  public readonly service: servicediscovery.IService;
  public readonly resource: CustomResource;

  constructor(scope: Construct, id: string, props: CloudMapLookupProps) {
    super(scope, id);
    const fn = LookupFunction.of(this).function;
    this.resource = new CustomResource(this, 'Resource', {
      serviceToken: fn.functionArn,
      resourceType: LOOKUP_RESOURCE_TYPE,
      // The ECS service's ARN orders the lookup after it (ECS creates the Cloud Map service with the ECS
      // service), and looks the service up again when the ECS service is replaced. The handler ignores it.
      properties: { NamespaceId: props.namespace.namespaceId, DiscoveryName: props.discoveryName, EcsService: props.ecsService.serviceArn },
    });
    this.service = servicediscovery.Service.fromServiceAttributes(this, 'Service', {
      namespace: props.namespace,
      serviceName: props.discoveryName,
      serviceId: this.resource.getAttString('Id'),
      serviceArn: this.resource.getAttString('Arn'),
      // Service Connect registers instances through the API (an HTTP namespace needs no DNS records); the
      // record type and routing policy matter only to `registerXxx`, which nobody may call on ECS's service.
      discoveryType: servicediscovery.DiscoveryType.API,
      dnsRecordType: servicediscovery.DnsRecordType.A,
      routingPolicy: servicediscovery.RoutingPolicy.MULTIVALUE,
    });
  }
}

/** The construct id of the lookup of `discoveryName` under a server: stable, one per endpoint. */
export function lookupId(scope: IConstruct, discoveryName: string): string {
  if (typeof discoveryName !== 'string' || Token.isUnresolved(discoveryName) || !/^[a-zA-Z0-9_-]+$/.test(discoveryName)) {
    throw propError(scope, 'the Cloud Map service of an endpoint is looked up by a literal discovery name', `discoveryName ${JSON.stringify(discoveryName)}`,
      'name the endpoint by the literal discovery name it was given (or its port mapping name)', 'CloudMapServiceLookup');
  }
  return `CloudMapService-${discoveryName}`;
}
