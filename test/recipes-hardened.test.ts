import * as fs from 'fs';
import * as path from 'path';
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import {
  App, IPolicyValidationContextBeta1, IPolicyValidationPluginBeta1, PolicyValidationPluginReportBeta1, Stack,
} from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import { schemaProblems } from './support/schema';
import { hardened } from '../examples/recipes/hardened';

// Kept apart from test/recipes.test.ts so that the recipes can be edited in parallel.

const root = path.join(__dirname, '..');

/**
 * The Control Tower proactive controls that `@cdklabs/cdk-validator-cfnguard` ships, run as a policy
 * validation plugin of the app. It keeps the report for the test to read, and tells synth all is well so
 * that synth neither prints the report nor fails before the test can say which resource broke which control.
 */
class ControlTowerReport implements IPolicyValidationPluginBeta1 {
  public readonly name = 'control-tower';
  public readonly reports: PolicyValidationPluginReportBeta1[] = [];
  private readonly guard = new CfnGuardValidator();

  public validate(context: IPolicyValidationContextBeta1): PolicyValidationPluginReportBeta1 {
    this.reports.push(this.guard.validate(context));
    return { success: true, violations: [] };
  }

  /** Every finding, as `rule construct-path`. */
  public findings(): string[] {
    return this.reports.flatMap((report) => report.violations.flatMap((violation) => violation.violatingResources.map((resource) => {
      const template = JSON.parse(fs.readFileSync(resource.templatePath, 'utf8'));
      return `${violation.ruleName} ${template.Resources[resource.resourceLogicalId]?.Metadata?.['aws:cdk:path'] ?? resource.resourceLogicalId}`;
    }))).sort();
  }
}

test('docs/recipes.md shows examples/recipes/hardened.ts exactly', () => {
  const source = fs.readFileSync(path.join(root, 'examples', 'recipes', 'hardened.ts'), 'utf8');
  const recipe = source.split('// recipe:start\n')[1].split('// recipe:end')[0];
  expect(fs.readFileSync(path.join(root, 'docs', 'recipes.md'), 'utf8')).toContain('```ts fixture=recipe\n' + recipe + '```');
});

test('the hardened recipe passes the AWS Control Tower proactive controls with no finding at all', () => {
  // GIVEN the recipe, and beside it a stack that breaks two controls, to show that the controls run
  const report = new ControlTowerReport();
  // Path metadata names each finding's construct (the CLI turns it on; a test App has it off).
  const app = new App({ policyValidationBeta1: [report], context: { 'aws:cdk:enable-path-metadata': true } });
  const stack = hardened(app, 'pl-63a5400a');
  new logs.LogGroup(new Stack(app, 'Control'), 'MonthOnly', { retention: logs.RetentionDays.ONE_MONTH });

  // WHEN
  app.synth();

  // THEN the library's resources (under Api/, Web/, Namespace/) and the recipe's own have none
  expect(report.findings()).toEqual([
    'cloudwatch_log_group_encrypted_check Control/MonthOnly/Resource',
    'cloudwatch_log_group_retention_period_check Control/MonthOnly/Resource',
  ]);
  // and the recipe does build what the controls inspect: encrypted log groups, task definitions, services
  const template = JSON.parse(fs.readFileSync(path.join(app.outdir, stack.templateFile), 'utf8'));
  const types = Object.values<any>(template.Resources).map((r) => r.Type);
  expect(types.filter((type) => type === 'AWS::Logs::LogGroup')).toHaveLength(5);
  expect(types.filter((type) => type === 'AWS::ECS::TaskDefinition')).toHaveLength(2);
  expect(types.filter((type) => type === 'AWS::KMS::Key')).toHaveLength(1);
  // and the template is valid against the CloudFormation resource schemas
  expect(schemaProblems(template)).toEqual([]);
});
