// Checks the cloud assembly of the README's quick start, synthesized by a consumer app (scripts/consumer-test.sh):
// what the README's "What you get" promises. Exits 1 naming every problem.
// Usage: node scripts/check-consumer-synth.js <cdk.out>
const fs = require('fs');
const path = require('path');

const outdir = process.argv[2];
const manifest = JSON.parse(fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf8'));
const problems = [];
const check = (ok, problem) => { if (!ok) problems.push(problem); };

const stack = manifest.artifacts.Shop;
check(stack !== undefined, 'no stack Shop in the cloud assembly');
const errors = Object.values(stack?.metadata ?? {}).flat().filter((m) => m.type === 'aws:cdk:error');
check(errors.length === 0, `errors in the assembly: ${errors.map((e) => e.data).join('; ')}`);

const template = JSON.parse(fs.readFileSync(path.join(outdir, stack?.properties?.templateFile ?? 'Shop.template.json'), 'utf8'));
const resources = Object.entries(template.Resources);
const service = (name) => resources.find(([id, r]) => r.Type === 'AWS::ECS::Service' && new RegExp(`^${name}Service[0-9A-F]{8}$`).test(id));
const [web, api, db] = ['Web', 'Api', 'Db'].map(service);
check(resources.filter(([, r]) => r.Type === 'AWS::ECS::Service').length === 3, 'not three ECS services');
check(web && api && db, 'the Web, Api or Db ECS service is missing');
if (web && api && db) {
  check((web[1].DependsOn ?? []).includes(api[0]), 'Web does not depend on Api');
  check((api[1].DependsOn ?? []).includes(db[0]), 'Api does not depend on Db');
  for (const [id, r] of [web, api, db]) {
    check(r.Properties.ServiceConnectConfiguration?.Enabled === true, `${id} has no Service Connect configuration`);
    const breaker = r.Properties.DeploymentConfiguration?.DeploymentCircuitBreaker;
    check(breaker?.Enable === true && breaker?.Rollback === true, `${id} has no circuit breaker with rollback`);
  }
  const aliases = api[1].Properties.ServiceConnectConfiguration?.Services?.[0]?.ClientAliases ?? [];
  check(aliases.some((a) => a.DnsName === 'api' && a.Port === 80), 'Api has no client alias api:80');
}
// Ingress from the callers only, on the proxy listen ports: Web -> Api on 8080, Api -> Db on 5432.
const ingress = resources.filter(([, r]) => r.Type === 'AWS::EC2::SecurityGroupIngress').map(([, r]) => r.Properties);
const owner = (ref) => String(ref?.['Fn::GetAtt']?.[0] ?? '').replace(/(Service)?SecurityGroup.*$/, '');
const rules = ingress.map((r) => `${owner(r.GroupId)}<-${owner(r.SourceSecurityGroupId)}:${r.FromPort}`).sort();
check(JSON.stringify(rules) === JSON.stringify(['Api<-Web:8080', 'Db<-Api:5432']), `ingress rules ${JSON.stringify(rules)}`);

if (problems.length > 0) {
  console.error(`consumer: the quick start's template is not what the README promises:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  process.exit(1);
}
console.log('consumer: the quick start synthesizes: Web after Api after Db, ingress Api<-Web:8080 and Db<-Api:5432, circuit breakers on');
