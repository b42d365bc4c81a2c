/*
 * Plain-data snapshots of a service's access logs and deployment, for the rules in
 * access-log-rules.ts and deployment-rules.ts. Values the library cannot see are left undefined.
 */

/** The proxy's access logs and the log configuration they need. */
export interface AccessLogFacts {
  /** Whether the service's Service Connect configuration will have access logs (the library's or its own). */
  readonly enabled: boolean;
  /** Whether it will have a log configuration for the proxy (the library's proxy logs, or its own). */
  readonly proxyLogs: boolean;
}

/** The ECS deployment of a service. */
export interface DeploymentFacts {
  /** The deployment strategy (`ROLLING`, `BLUE_GREEN`, `LINEAR`, `CANARY`); undefined when not set or a token. */
  readonly strategy?: string;
  /** Whether a bake time is set (possibly as a token). */
  readonly bakeTimeSet: boolean;
  /** The bake time in minutes, when set and known at synth. */
  readonly bakeTimeMinutes?: number;
}
