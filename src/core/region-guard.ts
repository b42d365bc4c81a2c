import { Aws, CfnRule, Fn, Stack, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { SERVICE_CONNECT_REGIONS } from '../rules/platform-rules';

/**
 * When the stack's region is unknown at synth, the template itself refuses to deploy outside the
 * regions with Service Connect (rule RegionSupported). One CloudFormation Rule per stack.
 */
export function guardRegion(scope: IConstruct): void {
  const stack = Stack.of(scope);
  const id = 'ServiceConnectRegionSupported';
  if (Token.isUnresolved(stack.region) && !stack.node.tryFindChild(id)) {
    new CfnRule(stack, id, {
      assertions: [{
        assert: Fn.conditionContains(SERVICE_CONNECT_REGIONS, Aws.REGION),
        assertDescription: '[RegionSupported] Amazon ECS Service Connect is not available in this region. Deploy to a region the Service Connect guide lists.',
      }],
    });
  }
}
