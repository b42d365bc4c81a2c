import * as fs from 'fs';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { adopt } from '../../examples/recipes/adopt';
import { ec2Capacity } from '../../examples/recipes/ec2-capacity';
import { httpApi } from '../../examples/recipes/http-api';
import { lambdaCaller } from '../../examples/recipes/lambda-caller';
import { migrate } from '../../examples/recipes/migrate';
import { migrateExisting } from '../../examples/recipes/migrate-existing';
import { multiStack } from '../../examples/recipes/multi-stack';
import { tls } from '../../examples/recipes/tls';
import { twoNamespaces } from '../../examples/recipes/two-namespaces';
import { ShopStack } from '../../examples/shop';
import { schemaProblems } from '../support/schema';

/** The templates of the example, every recipe and every integration snapshot. */
function templates(): Array<[string, any]> {
  const app = new App();
  const stacks = [
    new ShopStack(app, 'Shop'),
    migrate(app, 2),
    migrateExisting(app, 2),
    adopt(app, true),
    ...Object.values(multiStack(app)),
    twoNamespaces(app),
    tls(app, 'arn:aws:acm-pca:us-east-1:123456789012:certificate-authority/11111111-2222-3333-4444-555555555555'),
    ec2Capacity(app),
    httpApi(app),
    lambdaCaller(app),
  ];
  const synthesized: Array<[string, any]> = stacks.map((s) => [s.stackName, Template.fromStack(s).toJSON()]);
  const testDir = path.join(__dirname, '..');
  for (const dir of fs.readdirSync(testDir).filter((d) => d.endsWith('.snapshot'))) {
    for (const file of fs.readdirSync(path.join(testDir, dir)).filter((f) => f.endsWith('.template.json'))) {
      synthesized.push([`${dir}/${file}`, JSON.parse(fs.readFileSync(path.join(testDir, dir, file), 'utf8'))]);
    }
  }
  return synthesized;
}

describe('templates are valid against the CloudFormation resource schemas (@aws-cdk/aws-service-spec)', () => {
  test.each(templates())('%s', (_name, template) => {
    expect(schemaProblems(template)).toEqual([]);
  });

  test('the checker finds unknown and missing properties, wrong types and values outside an enum', () => {
    const problems = schemaProblems({
      Resources: {
        Svc: {
          Type: 'AWS::ECS::Service',
          Properties: {
            LaunchType: 'LAMBDA',
            ServiceConnectConfiguration: { Namespace: 'x', Services: [{ PortName: 'http', IngressPortOverride: 'high', Bogus: 1 }] },
          },
        },
        Logs: { Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: 42 } },
      },
    });
    expect(problems).toEqual(expect.arrayContaining([
      'Svc.ServiceConnectConfiguration: required property Enabled is missing',
      expect.stringContaining('Svc.ServiceConnectConfiguration.Services[0].IngressPortOverride: expected an integer'),
      'Svc.ServiceConnectConfiguration.Services[0]: unknown property Bogus',
      'Svc.LaunchType: expected one of EC2, FARGATE, EXTERNAL, found "LAMBDA"',
      expect.stringMatching(/^Logs\.RetentionInDays: expected one of 1, 3, 5, .*, found 42$/),
    ]));
  });
});
