import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as ec2 from 'aws-cdk-lib/aws-ec2';

/**
 * Options for a caller from outside the namespace (`ClientServerService.allowFrom`).
 */
export interface OutsideCallerOptions {
  /**
   * The endpoint the caller calls, by discovery name. The caller is let in on that endpoint's proxy listen
   * port only.
   *
   * @default - every endpoint of the server: the caller is let in on each proxy listen port
   */
  readonly discoveryName?: string;

  /**
   * The port the caller is let in on. It must be the proxy listen port of an endpoint it calls (the ingress
   * port override, else the container port), never the client alias port: callers outside the namespace
   * have no proxy to translate it (rule OutsideCallerPort).
   *
   * @default - the proxy listen ports of the endpoints the caller calls
   */
  readonly port?: number;

  /**
   * How the topology artifact and the messages name the caller.
   *
   * @default - the caller's construct path, or its address range
   */
  readonly label?: string;
}

/**
 * Options for an API Gateway HTTP API private integration with a server (`ClientServerService.httpApiIntegration`).
 */
export interface ServiceConnectHttpApiIntegrationOptions {
  /**
   * The endpoint the integration sends requests to, by discovery name.
   *
   * @default - the server's first endpoint
   */
  readonly discoveryName?: string;

  /**
   * The VPC link the integration goes through. Pass one to share it between integrations, with its
   * security groups in `vpcLinkSecurityGroups`.
   *
   * @default - a new VPC link in the cluster's VPC (construct id `<id>VpcLink` under the server), with a
   * security group of its own (`<id>VpcLinkSecurityGroup`) that may reach the server's proxy listen port and nothing else
   */
  readonly vpcLink?: apigwv2.IVpcLink;

  /**
   * The security groups of `vpcLink`: the server lets them in on the endpoint's proxy listen port.
   * Required with `vpcLink`.
   *
   * @default - the security group of the VPC link the library creates
   */
  readonly vpcLinkSecurityGroups?: ec2.ISecurityGroup[];

  /**
   * The subnets of the VPC link the library creates.
   *
   * @default - the default subnets of the cluster's VPC, as the ECS service's tasks get them: private, else isolated, else public
   */
  readonly vpcLinkSubnets?: ec2.SubnetSelection;

  /**
   * The HTTP method the integration uses towards the server.
   *
   * @default - the method of the request (ANY)
   */
  readonly method?: apigwv2.HttpMethod;

  /**
   * Changes to the request before it is sent to the server.
   *
   * @default - the request is sent as it came
   */
  readonly parameterMapping?: apigwv2.ParameterMapping;
}
