// Integration test: Service Connect on EC2 capacity, exactly as the EC2 recipe builds it
// (ECS-optimized Amazon Linux 2, EC2 launch type, library-sized awsvpc tasks). Deployed (RELEASING.md), the
// assertions wait for both services to reach steady state with Service Connect and find the api's Cloud Map
// service in the namespace.
import { IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App } from 'aws-cdk-lib';
import { expectCloudMapService, expectSteadyServiceConnect } from './support/integ-assertions';
import { ec2Capacity } from '../examples/recipes/ec2-capacity';
import { ClientServerService, ClientService } from '../src';

const app = new App();
const stack = ec2Capacity(app);
const api = stack.node.findChild('Api') as ClientServerService;
const web = stack.node.findChild('Web') as ClientService;
const integ = new IntegTest(app, 'Ec2Capacity', { testCases: [stack] });
expectSteadyServiceConnect(integ, api, ['http'])
  .next(expectSteadyServiceConnect(integ, web))
  .next(expectCloudMapService(integ, api.namespace, 'http'));
app.synth();
