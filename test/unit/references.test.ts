import { App, CfnParameter, Fn, Lazy, Stack, Token } from 'aws-cdk-lib';
import * as servicediscovery from 'aws-cdk-lib/aws-servicediscovery';
import { referenceTargets, soleReferenceTarget } from '../../src/core/references';

describe('soleReferenceTarget', () => {
  const app = new App();
  const stack = new Stack(app, 'Stack');
  const other = new Stack(app, 'Other');
  const namespace = new servicediscovery.CfnHttpNamespace(stack, 'Namespace', { name: 'a.internal' });
  const remote = new servicediscovery.CfnHttpNamespace(other, 'Remote', { name: 'b.internal' });
  const parameter = new CfnParameter(stack, 'Arn');

  test.each([
    ['an attribute (Fn::GetAtt)', namespace.attrArn, namespace],
    ['a Ref', namespace.ref, namespace],
    ['an attribute of another stack', remote.attrArn, remote],
    ['a parameter', parameter.valueAsString, parameter],
  ])('is the target of %s, which resolving it finds too', (_, value, target) => {
    expect(soleReferenceTarget(value)).toBe(target);
    expect(referenceTargets(stack, value)).toContain(target);
  });

  test.each([
    ['a literal', 'arn:aws:servicediscovery:us-east-1:111111111111:namespace/ns-1'],
    ['a reference with text around it', `${namespace.attrArn}/suffix`],
    ['two references', `${namespace.attrArn}${remote.attrArn}`],
    ['a join', Fn.join(':', [namespace.attrArn, 'x'])],
    ['a lazy value', Lazy.string({ produce: () => namespace.attrArn })],
    ['a number token', Token.asNumber(namespace.getAtt('Arn'))],
    ['an object', { Ref: 'Namespace' }],
    ['undefined', undefined],
  ])('is undefined for %s: only a resolution can tell what it refers to', (_, value) => {
    expect(soleReferenceTarget(value)).toBeUndefined();
  });
});
