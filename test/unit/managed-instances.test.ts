// @floor-skip: ECS Managed Instances capacity providers need aws-cdk-lib newer than the floor 2.178.0.
import { App, Fn, Stack } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { appCapacityProviders, managedInstancesProviders } from '../../src/rules/collect';
import { AppWiring } from '../../src/topology/wiring';

/*
 * Which ECS Managed Instances capacity providers of the app a service's capacity provider strategy names: by
 * reference or by literal name, from any stack. Users at the floor cannot define such a provider, so
 * `scripts/floor.sh` skips this file (the @floor-skip line above).
 */

function setup() {
  const app = new App();
  const stack = new Stack(app, 'Stack');
  const managed = (scope: Stack, id: string, name?: string) => new ecs.CfnCapacityProvider(scope, id, {
    name,
    managedInstancesProvider: {
      infrastructureRoleArn: 'arn:aws:iam::123456789012:role/ecsInfrastructureRole',
      instanceLaunchTemplate: {
        ec2InstanceProfileArn: 'arn:aws:iam::123456789012:instance-profile/ecsInstanceRole',
        networkConfiguration: { subnets: ['subnet-1'] },
      },
    },
  } as ecs.CfnCapacityProviderProps);
  const service = (strategy: unknown) => new ecs.CfnService(stack, 'Service', { capacityProviderStrategy: strategy as any });
  return { app, stack, managed, service };
}

test('a provider named by reference, or by its literal name from another stack', () => {
  const { app, stack, managed, service } = setup();
  const byRef = managed(stack, 'ByRef');
  const other = new Stack(app, 'Other');
  managed(other, 'ByName', 'shared-managed');
  managed(stack, 'Unnamed');
  const s = service([{ capacityProvider: byRef.ref, weight: 1 }, { capacityProvider: 'shared-managed', weight: 1 }]);
  expect(managedInstancesProviders(s)).toEqual(['Stack/ByRef', 'Other/ByName']);
});

test('a provider that is not ECS Managed Instances is not one, even when named', () => {
  const { stack, service } = setup();
  new ecs.CfnCapacityProvider(stack, 'Asg', {
    name: 'asg-provider',
    autoScalingGroupProvider: { autoScalingGroupArn: 'arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:x:autoScalingGroupName/asg' },
  });
  expect(managedInstancesProviders(service([{ capacityProvider: 'asg-provider', weight: 1 }]))).toEqual([]);
});

test('an unnamed provider is not named by a strategy entry without a provider', () => {
  const { stack, managed, service } = setup();
  managed(stack, 'Unnamed');
  expect(managedInstancesProviders(service([{ weight: 1 }]))).toEqual([]);
});

test('no strategy, an empty one, one given as an intrinsic, or a null entry from JavaScript names none', () => {
  const { stack, managed } = setup();
  managed(stack, 'Managed', 'managed');
  const services = [undefined, [], Fn.getAtt('Elsewhere', 'Strategy'), [null]].map((strategy, i) =>
    new ecs.CfnService(stack, `Service${i}`, { capacityProviderStrategy: strategy as any }));
  expect(services.map((s) => managedInstancesProviders(s))).toEqual([[], [], [], []]);
});

test('the app wiring finds the providers once it is planned, and its answer equals the walk of the tree', () => {
  // GIVEN two providers, one in another stack, and a provider that is not Managed Instances
  const { app, stack, managed } = setup();
  managed(stack, 'One');
  managed(new Stack(app, 'Other'), 'Two');
  new ecs.CfnCapacityProvider(stack, 'Asg', { autoScalingGroupProvider: { autoScalingGroupArn: 'arn:aws:autoscaling:::asg' } });
  const wiring = AppWiring.of(stack);
  const paths = (providers: ecs.CfnCapacityProvider[]) => providers.map((p) => p.node.path);
  // THEN before the plan, each call walks the tree; after it, the answer is kept (a provider added later is not seen)
  expect(paths(wiring.capacityProviders())).toEqual(paths(appCapacityProviders(app)));
  wiring.edges();
  const kept = wiring.capacityProviders();
  expect(paths(kept)).toEqual(['Stack/One', 'Other/Two']);
  managed(stack, 'Late');
  expect(wiring.capacityProviders()).toBe(kept);
});
