import { CfnResource } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { IConstruct } from 'constructs';
import { AccessLogFormat, ServiceConnectAccessLogOptions } from '../access-logs';
import type { ServiceConnectTestTrafficHeader } from '../deployment';
import type { ServiceConnectEndpoint } from '../endpoint';
import { propError } from '../errors';

/*
 * Settings the oldest aws-cdk-lib the library supports (the peer-dependency floor) cannot express: its
 * ECS service resource drops properties it does not know. They are written as property overrides in
 * CloudFormation's own names, which CloudFormation merges into what the resource renders (the
 * library's Service Connect configuration, the L2's deployment configuration).
 */

/**
 * What the app wrote on a resource with `addOverride` and `addPropertyOverride`, in CloudFormation's names
 * (`{ Properties: { ... } }`, and any other top-level key), or undefined. aws-cdk-lib keeps it in
 * `CfnResource.rawOverrides`, which is not public: this is the one place the library reads it.
 */
export function overridesOf(resource: CfnResource): { readonly Properties?: Record<string, unknown> } | undefined {
  const overrides: unknown = (resource as unknown as { rawOverrides?: unknown }).rawOverrides;
  return typeof overrides === 'object' && overrides !== null ? overrides : undefined;
}

/** `ServiceConnectConfiguration.AccessLogConfiguration`. */
export function renderAccessLogs(options: ServiceConnectAccessLogOptions): Record<string, string> {
  return {
    Format: options.format,
    ...(options.includeQueryParameters === undefined ? {} : { IncludeQueryParameters: options.includeQueryParameters ? 'ENABLED' : 'DISABLED' }),
  };
}

/** Adds the access logs to the service's Service Connect configuration, whoever renders it. */
export function addAccessLogs(scope: IConstruct, resource: ecs.CfnService, options: ServiceConnectAccessLogOptions): void {
  const formats: string[] = Object.values(AccessLogFormat);
  if (!formats.includes(options.format)) {
    throw propError(scope, 'an unknown access log format', `accessLogs.format ${String(options.format)}`,
      `use one of ${formats.join(', ')} (the AccessLogFormat enum)`);
  }
  resource.addPropertyOverride('ServiceConnectConfiguration.AccessLogConfiguration', renderAccessLogs(options));
}

/**
 * Adds the proxy's log configuration to a Service Connect configuration the library did not render and
 * that has none of its own.
 */
export function addLogConfiguration(resource: ecs.CfnService, configuration: ecs.CfnService.LogConfigurationProperty): void {
  resource.addPropertyOverride('ServiceConnectConfiguration.LogConfiguration', {
    LogDriver: configuration.logDriver,
    Options: configuration.options,
  });
}

/** `ClientAliases[].TestTrafficRules` of one endpoint. */
export function renderTestTrafficRules(header: ServiceConnectTestTrafficHeader): Record<string, unknown> {
  return {
    Header: {
      Name: header.name,
      ...(header.value === undefined ? {} : { Value: { Exact: header.value } }),
    },
  };
}

/**
 * Adds the test-traffic rules of the endpoints to the client aliases of the configuration the library
 * renders, whose `Services` are the endpoints in this order, each with its client alias.
 */
export function addTestTrafficRules(resource: ecs.CfnService, endpoints: readonly ServiceConnectEndpoint[]): void {
  endpoints.forEach((endpoint, index) => {
    if (endpoint.testTrafficHeader) {
      resource.addPropertyOverride(`ServiceConnectConfiguration.Services.${index}.ClientAliases.0.TestTrafficRules`,
        renderTestTrafficRules(endpoint.testTrafficHeader));
    }
  });
}

/** Adds keys of `DeploymentConfiguration` (CloudFormation names) to the L2's deployment configuration. */
export function addDeploymentConfiguration(resource: ecs.CfnService, configuration: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(configuration)) {
    if (value !== undefined) {
      resource.addPropertyOverride(`DeploymentConfiguration.${key}`, value);
    }
  }
}
