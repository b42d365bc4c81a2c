import type { ServiceFacts } from './facts';
import { Rule, RuleSeverity } from './rule';
import { Source } from './sources';

export const accessLogsNeedProxyLogs: Rule<ServiceFacts> = {
  id: 'AccessLogsNeedProxyLogs',
  appliesTo: 'service',
  severity: RuleSeverity.ERROR,
  trigger: 'The service asks for access logs while its Service Connect configuration has no log configuration: `proxyLogs` is off, or an attached service\'s own configuration has none and the library set none. The ECS API refuses an access-log configuration without `logConfiguration`.',
  fix: 'turn the proxy\'s logs on (remove `proxyLogs: { enabled: false }`, or pass `proxyLogs` when attaching), or remove `accessLogs`',
  seed: '-',
  source: Source.ACCESS_LOGS,
  check: (svc) => (svc.accessLogs?.enabled && !svc.accessLogs.proxyLogs ? [{
    problem: 'access logs go where the proxy\'s logs go, and the proxy has no log configuration',
    value: 'accessLogs with no proxy log configuration',
  }] : []),
};
