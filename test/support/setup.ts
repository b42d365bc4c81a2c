/*
 * Runs before every test file (jest `setupFiles`).
 *
 * aws-cdk-lib 2.27x validates every synthesized template with its built-in CloudFormation validator (a
 * WebAssembly engine) and reports findings as warnings only: half the CPU of a typical test here, and
 * nothing a test asserts on. The same templates are linted where it gates: `npx projen lint:cfn`
 * (cfn-lint over the example, the recipes and the integration snapshots) and `npx cdk synth` in `.ci/run`.
 */
process.env.CDK_VALIDATION = 'false';
