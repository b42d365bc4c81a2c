/*
 * The current Amazon ECS guide text each rule follows (../shared/reference/service-connect-2026.md digests
 * it), by page and section. RULES.md prints it next to the 2023 seed paragraph the rule started from.
 */

const GUIDE = 'https://docs.aws.amazon.com/AmazonECS/latest/developerguide';
const API = 'https://docs.aws.amazon.com/AmazonECS/latest/APIReference';

/** Pages of the current guide and API reference that rules cite. */
export const Source = {
  CONSIDERATIONS: `Service Connect components, "Service Connect considerations" (${GUIDE}/service-connect-concepts-deploy.html#service-connect-considerations)`,
  PROXY: `Service Connect components, "Service Connect proxy" (${GUIDE}/service-connect-concepts-deploy.html#service-connect-concepts-proxy)`,
  CONCEPTS: `Service Connect concepts (${GUIDE}/service-connect-concepts.html)`,
  NETWORKING: `Service Connect components, "Networking" (${GUIDE}/service-connect-concepts-deploy.html)`,
  QUOTAS: 'Amazon ECS service quotas, "Services per namespace" (https://docs.aws.amazon.com/general/latest/gr/ecs-service.html)',
  BOTTLEROCKET: `Amazon ECS-optimized Bottlerocket AMIs (${GUIDE}/ecs-bottlerocket.html)`,
  SHARED_NAMESPACES: `Service Connect with shared AWS Cloud Map namespaces (${GUIDE}/service-connect-shared-namespaces.html)`,
  API_SERVICE: `ECS API reference, ServiceConnectService (${API}/API_ServiceConnectService.html)`,
  API_CLIENT_ALIAS: `ECS API reference, ServiceConnectClientAlias (${API}/API_ServiceConnectClientAlias.html)`,
  API_TIMEOUT: `ECS API reference, TimeoutConfiguration (${API}/API_TimeoutConfiguration.html)`,
  TLS: `Service Connect TLS (${GUIDE}/service-connect-tls.html)`,
  CLOUD_MAP_NAMESPACE_NAME: 'AWS Cloud Map API reference, CreateHttpNamespace, `Name` (https://docs.aws.amazon.com/cloud-map/latest/api/API_CreateHttpNamespace.html): pattern `^[!-~]{1,1024}$`',
  API_CREATE_SERVICE: `ECS API reference, CreateService, \`serviceName\` (${API}/API_CreateService.html): up to 255 letters, numbers, underscores and hyphens`,
  API_TLS_AUTHORITY: `ECS API reference, ServiceConnectTlsCertificateAuthority (${API}/API_ServiceConnectTlsCertificateAuthority.html), and AWS Private CA ARNs (https://docs.aws.amazon.com/privateca/latest/userguide/PcaTerms.html)`,
  NO_REGION_LIST: 'none: the current guide lists no regions (the April 2023 list is the newest found; unconfirmed, so a warning only)',
  ACCESS_LOGS: `Service Connect access logs (${GUIDE}/service-connect-envoy-access-logs.html)`,
  BLUE_GREEN: `Service Connect resources for Amazon ECS blue/green, linear, and canary deployments (${GUIDE}/service-connect-blue-green.html)`,
  API_DEPLOYMENT_CONFIGURATION: `ECS API reference, DeploymentConfiguration (${API}/API_DeploymentConfiguration.html)`,
  LIBRARY: 'the library\'s own contract: it never overwrites a configuration it did not render',
  LEAST_PRIVILEGE: 'the library\'s own contract: least-privilege security groups, never open to 0.0.0.0/0 or ::/0 (SPEC, "Network")',
  HTTP_API_PRIVATE: 'API Gateway, private integrations for HTTP APIs (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-private.html); whether one reaches a Cloud Map service in a namespace shared from another account is unconfirmed, so a warning only',
  CLOUD_MAP_LIST_SERVICES: 'AWS Cloud Map API reference, ListServices (https://docs.aws.amazon.com/cloud-map/latest/api/API_ListServices.html): filtered by NAMESPACE_ID, a namespace id',
} as const;
