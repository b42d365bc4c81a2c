import type { ServiceFacts } from './facts';
import { Rule, RuleSeverity } from './rule';
import { Source } from './sources';

export const connectCycle: Rule<ServiceFacts> = {
  id: 'ConnectCycle',
  appliesTo: 'service',
  severity: RuleSeverity.ERROR,
  trigger: 'The ordered connectsTo edges form a cycle, so no service could be deployed first; or an ordered edge would make the client\'s stack deploy after the server\'s when the server\'s stack must already deploy after the client\'s (for example because the namespace is in the client\'s stack).',
  fix: 'declare one edge of the cycle without ordering: `client.connectTo(server, { ordered: false })`',
  seed: 'Deployment order',
  source: Source.CONSIDERATIONS,
  check: (svc) => [
    ...svc.refusedEdges.flatMap(({ cycle }) => (cycle ? [{
      problem: 'connecting to this server would order services in a cycle',
      value: cycle.join(' -> '),
    }] : [])),
    ...svc.refusedEdges.flatMap(({ serverPath, stackCycle }) => (stackCycle ? [{
      problem: `connecting to ${serverPath} would order stacks in a cycle`,
      value: `stacks ${stackCycle.join(' -> ')}`,
      fix: 'move the client to a stack that deploys after the server\'s stack (and after the namespace\'s), or declare the edge with `{ ordered: false }`',
    }] : [])),
  ],
};

export const connectAcrossNamespaces: Rule<ServiceFacts> = {
  id: 'ConnectAcrossNamespaces',
  appliesTo: 'service',
  severity: RuleSeverity.ERROR,
  trigger: 'A client connects to a server in another namespace; Service Connect only resolves names within one namespace.',
  fix: 'put the client and the server in the same ServiceConnectNamespace, or reach the other namespace by another interconnection method',
  seed: 'Service Connect concepts',
  source: Source.CONCEPTS,
  notRelaxable: 'the client\'s proxy cannot resolve a name of another namespace, so the library wires nothing for such a call: relaxed, the declared call would be dropped without a word',
  check: (svc) => svc.refusedEdges
    .filter((edge) => edge.crossNamespace)
    .map((edge) => ({
      problem: `the server ${edge.serverPath} is in another namespace`,
      value: `client namespace ${svc.namespaceName}, server namespace ${edge.serverNamespace}`,
    })),
};

export const crossVpcConnectivity: Rule<ServiceFacts> = {
  id: 'CrossVpcConnectivity',
  appliesTo: 'service',
  severity: RuleSeverity.WARNING,
  trigger: 'A client and a server it calls are in different VPCs.',
  fix: 'make sure VPC peering (or a transit gateway), route tables and network ACLs allow the server\'s proxy listen port between the VPCs',
  seed: 'Networking',
  source: Source.NETWORKING,
  check: (svc) => svc.servers
    .filter((server) => server.sameVpc === false)
    .map((server) => ({ problem: `the server ${server.path} is in another VPC`, value: 'different VPCs' })),
};

export const crossAccountIngress: Rule<ServiceFacts> = {
  id: 'CrossAccountIngress',
  appliesTo: 'service',
  severity: RuleSeverity.WARNING,
  trigger: 'A client calls a server whose stack is in another AWS account (a namespace shared through AWS RAM). A stack cannot change a security group of another account, and a rule that names a group of another account needs its owner and peered or shared VPCs, so the library opens nothing between them.',
  fix: 'in the server\'s stack, admit the client on the server\'s proxy listen port: by the client VPC\'s CIDR range or a prefix list, or, in a shared or peered VPC, by the client\'s security group with its owner account (`SourceSecurityGroupOwnerId`); then acknowledge this warning',
  seed: 'Networking',
  source: Source.NETWORKING,
  check: (svc) => svc.servers
    .filter((server) => server.otherAccount !== undefined)
    .map((server) => ({
      problem: `the server ${server.path} is in another account, so the library adds no security-group rule for this call`,
      value: `client account ${svc.account}, server account ${server.otherAccount}`,
    })),
};

export const sharedSecurityGroup: Rule<ServiceFacts> = {
  id: 'SharedSecurityGroup',
  appliesTo: 'service',
  severity: RuleSeverity.WARNING,
  trigger: 'A client and a server it calls share a security group (for example the cluster instances\' group in the bridge network mode). The library adds no rule from a group to itself: it would let every member of the group in.',
  fix: 'give the client and the server security groups of their own (the awsvpc network mode), or open the port yourself and acknowledge this warning',
  seed: 'Networking',
  source: Source.NETWORKING,
  check: (svc) => svc.sharedGroups.map((shared) => ({
    problem: `the server ${shared.serverPath} is in a security group this service is in too, so the library opens nothing between them`,
    value: `security group ${shared.groupPath}`,
  })),
};

export const instanceSecurityGroupIngress: Rule<ServiceFacts> = {
  id: 'InstanceSecurityGroupIngress',
  appliesTo: 'service',
  severity: RuleSeverity.WARNING,
  trigger: 'A client in the bridge or host network mode calls a server: its tasks have no security group of their own, so the server\'s group admits the container instances\' group, and with it every task on those instances.',
  fix: 'run the client in the awsvpc network mode, so that the server admits the client\'s own security group; or acknowledge this warning if every task on those instances may reach the server',
  seed: 'Networking',
  source: Source.NETWORKING,
  check: (svc) => (svc.instanceGroupCalls ?? []).map((call) => ({
    problem: `the server ${call.serverPath} admits this client from its container instances' security group, which lets in every task that runs on those instances, of any service`,
    value: `network mode ${svc.task.networkMode}, security group ${call.groupPath}`,
  })),
};
