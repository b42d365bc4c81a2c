// Integration test: Service Connect on EC2 capacity, exactly as the EC2 recipe builds it
// (ECS-optimized Amazon Linux 2, EC2 launch type, library-sized awsvpc tasks).
import { IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App } from 'aws-cdk-lib';
import { ec2Capacity } from '../examples/recipes/ec2-capacity';

const app = new App();
new IntegTest(app, 'Ec2Capacity', { testCases: [ec2Capacity(app)] });
app.synth();
