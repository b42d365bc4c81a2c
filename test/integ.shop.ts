// Integration test: the example shop (web -> api -> db, cache) on Fargate, in one stack.
import { IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App } from 'aws-cdk-lib';
import { ShopStack } from '../examples/shop';

const app = new App();
const stack = new ShopStack(app, 'ServiceConnectIntegShop');
new IntegTest(app, 'ShopTopology', { testCases: [stack] });
app.synth();
