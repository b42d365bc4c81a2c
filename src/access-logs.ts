/**
 * Format of the Service Connect proxy's access logs.
 */
export enum AccessLogFormat {
  /** Human-readable lines. */
  TEXT = 'TEXT',
  /** One JSON object a line, for log analysis tools (CloudWatch Logs Insights). */
  JSON = 'JSON',
}

/**
 * Access logs of the Service Connect proxy: one entry per request (HTTP, HTTP/2, gRPC) or connection
 * (TCP) through the proxy, written where the proxy's logs go (`proxyLogs`).
 */
export interface ServiceConnectAccessLogOptions {
  /**
   * Format of each access log entry.
   */
  readonly format: AccessLogFormat;

  /**
   * Whether the entries include the requests' query parameters. Query parameters can carry request
   * ids and tokens: turn this on only where that is acceptable.
   *
   * @default false
   */
  readonly includeQueryParameters?: boolean;
}

