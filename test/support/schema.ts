import { loadAwsServiceSpecSync } from '@aws-cdk/aws-service-spec';
import type { PropertyType, ResourceProperties, SpecDatabase } from '@aws-cdk/service-spec-types';

/*
 * Checks CloudFormation templates against the resource schemas AWS publishes, as packaged in
 * @aws-cdk/aws-service-spec: every property name exists, every required property is present, every
 * value has the declared type (recursively through nested type definitions), and every value of an
 * enumerated string or integer is one of its allowed values. Intrinsic functions are accepted wherever a
 * value goes, since their result is only known at deployment.
 */

let db: SpecDatabase | undefined;
function spec(): SpecDatabase {
  db ??= loadAwsServiceSpecSync();
  return db;
}

function isIntrinsic(value: unknown): boolean {
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    return false;
  }
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'));
}

function checkProperties(where: string, value: unknown, properties: ResourceProperties, problems: string[]): void {
  if (isIntrinsic(value)) {
    return;
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    problems.push(`${where}: expected an object, found ${JSON.stringify(value)}`);
    return;
  }
  for (const [name, property] of Object.entries(properties)) {
    if (property.required && (value as Record<string, unknown>)[name] === undefined) {
      problems.push(`${where}: required property ${name} is missing`);
    }
  }
  for (const [name, inner] of Object.entries(value as Record<string, unknown>)) {
    const property = properties[name];
    if (!property) {
      problems.push(`${where}: unknown property ${name}`);
    } else {
      checkType(`${where}.${name}`, inner, property.type, problems);
    }
  }
}

function checkType(where: string, value: unknown, type: PropertyType, problems: string[]): void {
  if (isIntrinsic(value)) {
    return;
  }
  const fail = (expected: string) => problems.push(`${where}: expected ${expected}, found ${JSON.stringify(value)?.slice(0, 80)}`);
  switch (type.type) {
    case 'string':
      if (typeof value !== 'string' && typeof value !== 'number') fail('a string');
      else if (type.allowedValues && !type.allowedValues.includes(String(value))) fail(`one of ${type.allowedValues.join(', ')}`);
      return;
    case 'date-time':
      if (typeof value !== 'string' && typeof value !== 'number') fail('a string');
      return;
    case 'integer':
      if (typeof value !== 'number' && !(typeof value === 'string' && /^-?\d+$/.test(value))) fail('an integer');
      else if (type.allowedValues && !type.allowedValues.includes(Number(value))) fail(`one of ${type.allowedValues.join(', ')}`);
      return;
    case 'number':
      if (typeof value !== 'number' && !(typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value))) fail('a number');
      return;
    case 'boolean':
      if (typeof value !== 'boolean' && value !== 'true' && value !== 'false') fail('a boolean');
      return;
    case 'json':
    case 'null':
      return;
    case 'tag':
      checkProperties(where, value, { Key: { type: { type: 'string' }, required: true }, Value: { type: { type: 'string' }, required: true } }, problems);
      return;
    case 'array':
      if (!Array.isArray(value)) {
        fail('a list');
        return;
      }
      value.forEach((element, i) => checkType(`${where}[${i}]`, element, type.element, problems));
      return;
    case 'map':
      if (!value || typeof value !== 'object' || Array.isArray(value)) {
        fail('a map');
        return;
      }
      Object.entries(value).forEach(([k, v]) => checkType(`${where}.${k}`, v, type.element, problems));
      return;
    case 'ref':
      checkProperties(where, value, spec().get('typeDefinition', type.reference.$ref).properties, problems);
      return;
    case 'union': {
      const fits = type.types.some((t) => {
        const attempt: string[] = [];
        checkType(where, value, t, attempt);
        return attempt.length === 0;
      });
      if (!fits) fail(`one of ${type.types.map((t) => t.type).join(', ')}`);
      return;
    }
  }
}

/** Every schema problem of a template, as `LogicalId.Property: problem` lines. */
export function schemaProblems(template: { Resources?: Record<string, any> }): string[] {
  const problems: string[] = [];
  for (const [logicalId, resource] of Object.entries(template.Resources ?? {})) {
    if (resource.Type.startsWith('Custom::') || resource.Type === 'AWS::CDK::Metadata') {
      continue;
    }
    const found = spec().lookup('resource', 'cloudFormationType', 'equals', resource.Type);
    if (found.length === 0) {
      problems.push(`${logicalId}: unknown resource type ${resource.Type}`);
      continue;
    }
    checkProperties(logicalId, resource.Properties ?? {}, found.only().properties, problems);
  }
  return problems;
}
