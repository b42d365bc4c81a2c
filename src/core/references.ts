import { CfnElement, DefaultTokenResolver, IPostProcessor, IResolvable, IResolveContext, Reference, StringConcat, Token, Tokenization } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/*
 * What a value refers to (`Ref`, `Fn::GetAtt`), found by resolving it: the TLS facts look for the
 * certificate authority and the key, the deletion order and the namespace dependency skip what a
 * reference already orders, and the redeploy nonce joins only values of the client's own stack.
 */

/** Elements of the app (resources, parameters) that `value` refers to, resolved in `scope`. */
export function referencedElements(scope: IConstruct, value: unknown): CfnElement[] {
  return referenceTargets(scope, value).filter((target): target is CfnElement => CfnElement.isCfnElement(target));
}

/** The target of every reference in `value`: an element of the app, or another construct (a pseudo parameter's scope). */
export function referenceTargets(scope: IConstruct, value: unknown): IConstruct[] {
  const recorder = new ReferenceRecorder();
  Tokenization.resolve(value, { scope, resolver: recorder, preparing: false });
  return [...new Set(recorder.found)];
}

/**
 * The target of `value` when it is a string that is one reference and nothing else (`Ref` or `Fn::GetAtt` of an
 * element, as aws-cdk-lib's attributes are), read without resolving it; otherwise undefined. Resolving such a value
 * meets that reference first, so `referenceTargets` would list this target too.
 */
export function soleReferenceTarget(value: unknown): IConstruct | undefined {
  if (typeof value !== 'string' || !Token.isUnresolved(value)) {
    return undefined;
  }
  const fragments = Tokenization.reverseString(value);
  const token = fragments.length === 1 ? fragments.firstToken : undefined;
  return token instanceof Reference ? token.target : undefined;
}

/** A resolver that resolves as aws-cdk-lib does and notes the target of every reference it meets. */
class ReferenceRecorder extends DefaultTokenResolver {
  public readonly found: IConstruct[] = [];

  constructor() {
    super(new StringConcat());
  }

  public resolveToken(token: IResolvable, context: IResolveContext, postProcessor: IPostProcessor): any {
    if (token instanceof Reference) {
      this.found.push(token.target);
    }
    return super.resolveToken(token, context, postProcessor);
  }
}
