import { serviceFacts } from './facts';
import { accessLogsNeedProxyLogs } from '../../src/rules/access-log-rules';

describe('AccessLogsNeedProxyLogs', () => {
  test('fires on access logs without a log configuration', () => {
    expect(accessLogsNeedProxyLogs.check(serviceFacts({ accessLogs: { enabled: true, proxyLogs: false } }))).toEqual([{
      problem: 'access logs go where the proxy\'s logs go, and the proxy has no log configuration',
      value: 'accessLogs with no proxy log configuration',
    }]);
  });

  test('is quiet on access logs with a log configuration', () => {
    expect(accessLogsNeedProxyLogs.check(serviceFacts({ accessLogs: { enabled: true, proxyLogs: true } }))).toEqual([]);
  });

  test('is quiet without access logs, logs or not', () => {
    expect(accessLogsNeedProxyLogs.check(serviceFacts({ accessLogs: { enabled: false, proxyLogs: false } }))).toEqual([]);
    expect(accessLogsNeedProxyLogs.check(serviceFacts())).toEqual([]);
  });
});
