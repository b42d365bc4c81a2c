import { Duration, Token } from 'aws-cdk-lib';
import { alarmProblems, AlarmEndpoint } from '../../src/monitoring/alarm-checks';

const HTTP: AlarmEndpoint = { discoveryName: 'api', appProtocol: 'http', appProtocolKnown: true };
const TCP: AlarmEndpoint = { discoveryName: 'db', appProtocolKnown: true };
const GRPC: AlarmEndpoint = { discoveryName: 'rpc', appProtocol: 'grpc', appProtocolKnown: true };

const problems = (options: Parameters<typeof alarmProblems>[1], endpoints: AlarmEndpoint[] = [HTTP]) => alarmProblems('App/Api', options, endpoints);

describe('AlarmCannotFire', () => {
  test('no alarm asked for: nothing to check, whatever the other options say', () => {
    expect(problems({ period: Duration.seconds(10), evaluationPeriods: 0 }, [TCP])).toEqual([]);
  });

  test('a valid configuration passes, on the defaults and at the boundaries', () => {
    expect(problems({ http5xxRatePercent: 5, targetResponseTime: Duration.millis(500) })).toEqual([]);
    expect(problems({ http5xxRatePercent: 100, evaluationPeriods: 1, datapointsToAlarm: 1, period: Duration.minutes(5) })).toEqual([]);
    expect(problems({ http5xxRatePercent: 0.1, evaluationPeriods: 3, datapointsToAlarm: 3 })).toEqual([]);
    expect(problems({ targetResponseTime: Duration.millis(1), discoveryName: 'rpc' }, [HTTP, GRPC])).toEqual([]);
  });

  test('5xx and latency alarms on a TCP endpoint can never fire', () => {
    const found = problems({ http5xxRatePercent: 1, targetResponseTime: Duration.millis(500) }, [TCP]);
    expect(found).toEqual([
      expect.stringMatching(/^\[AlarmCannotFire\] App\/Api: the 5xx-rate alarm watches HTTP status counts.*found: endpoint 'db' with appProtocol not set \(TCP\)\)\. Fix: set `appProtocol/),
      expect.stringMatching(/^\[AlarmCannotFire\] App\/Api: the latency alarm watches TargetResponseTime.*found: endpoint 'db' with appProtocol not set \(TCP\)/),
    ]);
  });

  test('a 5xx alarm on gRPC can never fire; latency on gRPC can', () => {
    expect(problems({ http5xxRatePercent: 1 }, [GRPC])).toHaveLength(1);
    expect(problems({ targetResponseTime: Duration.millis(500) }, [GRPC])).toEqual([]);
  });

  test('an app protocol that is a token is not judged', () => {
    expect(problems({ http5xxRatePercent: 1 }, [{ discoveryName: 'api', appProtocolKnown: false }])).toEqual([]);
  });

  test('a discovery name that matches no endpoint', () => {
    expect(problems({ http5xxRatePercent: 1, discoveryName: 'nope' }, [HTTP, GRPC])).toEqual([
      expect.stringMatching(/watch a discovery name no endpoint of the service has \(found: discoveryName 'nope'; endpoints: api, rpc\)/),
    ]);
    expect(problems({ http5xxRatePercent: 1, discoveryName: Token.asString({ Ref: 'Name' }) })).toEqual([]);
  });

  test.each([-5, 0, 150, 100.5])('a 5xx rate of %p %% alarms always or never', (rate) => {
    expect(problems({ http5xxRatePercent: rate })).toEqual([expect.stringMatching(new RegExp(`found: http5xxRatePercent ${rate}\\)`))]);
  });

  test('a zero response time threshold', () => {
    expect(problems({ targetResponseTime: Duration.millis(0) })).toEqual([expect.stringMatching(/response time threshold of zero/)]);
  });

  test.each([
    [5, 6], [0, 0], [3, 0], [2.5, 1],
  ])('evaluationPeriods %p with datapointsToAlarm %p is refused', (evaluationPeriods, datapointsToAlarm) => {
    expect(problems({ http5xxRatePercent: 1, evaluationPeriods, datapointsToAlarm })).toEqual([
      expect.stringMatching(new RegExp(`found: evaluationPeriods ${evaluationPeriods}, datapointsToAlarm ${datapointsToAlarm}\\)`)),
    ]);
  });

  test.each([Duration.seconds(10), Duration.seconds(30), Duration.seconds(90)])('a period of %s is not a whole number of minutes', (period) => {
    expect(problems({ http5xxRatePercent: 1, period })).toEqual([expect.stringMatching(/published once a minute.*found: period \d+ seconds/)]);
  });
});
