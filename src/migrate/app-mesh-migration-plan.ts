import { AspectPriority, Aspects } from 'aws-cdk-lib';
import { Construct, IConstruct } from 'constructs';
import { artifactFileNames, writeArtifactsAtSynth } from '../core/artifacts';
import { pathError } from '../errors';
import { MigrationPlan, planMigration } from './plan';
import { readAppMeshFacts } from './reader';
import { planToCode, planToMarkdown, planToMermaid } from './render';
import { MIGRATION_RULES } from './rules';
import { addAcknowledgeableWarning } from '../rules/warn';

/**
 * Properties of an `AppMeshMigrationPlan`.
 */
export interface AppMeshMigrationPlanProps {
  /**
   * The name of the Service Connect namespace that the generated code creates for each mesh.
   *
   * @default - the mesh's name
   */
  readonly namespaceName?: string;
}

/**
 * A read-only plan for moving an app from AWS App Mesh to Service Connect.
 *
 * At synth it reads every App Mesh resource under its scope (the App, a Stage or a Stack), L2, L1 or
 * included from a template, with the task definitions, ECS services, Cloud Map services and IAM grants around
 * them, and changes nothing. For each virtual node it names the ECS service (found through the Envoy
 * container's `APPMESH_RESOURCE_ARN` or `APPMESH_VIRTUAL_NODE_NAME`, the Cloud Map registration or the DNS
 * name) and proposes Service Connect endpoints whose client alias is the virtual service name, so callers'
 * URLs keep working.
 *
 * What Service Connect cannot express (weighted or matched routes, gateways, mutual TLS, tracing, ...) is a
 * warning on the App Mesh resource, with an id `cdk-service-connect:<FindingId>` that
 * `Annotations.of(scope).acknowledgeWarning(...)` can acknowledge (RULES.md lists them). The report goes into
 * the cloud assembly as JSON, Markdown (with the library code that would express the result) and a Mermaid
 * diagram of the calls; the file names are in the `cdk-service-connect:app-mesh-migration` metadata.
 *
 * aws-cdk-lib synthesizes a Stage on its own, before the app around it: a plan on the App still reports the
 * resources of its Stages in its files, but it cannot warn on them. Add one plan to each Stage that holds App
 * Mesh resources.
 *
 * @example
 * new AppMeshMigrationPlan(app, 'AppMeshMigrationPlan');
 */
export class AppMeshMigrationPlan extends Construct {
  /** The id of every finding the plan can report. */
  public static readonly FINDING_IDS: string[] = MIGRATION_RULES.map((rule) => rule.id);

  /** The metadata type under which the plan records its file names. */
  public static readonly METADATA_TYPE = 'cdk-service-connect:app-mesh-migration';

  /** The report as JSON, in the cloud assembly directory. */
  public readonly jsonFileName: string;

  /** The report as Markdown, in the cloud assembly directory. */
  public readonly markdownFileName: string;

  /** The call graph as a Mermaid flowchart, in the cloud assembly directory. */
  public readonly mermaidFileName: string;

  constructor(scope: Construct, id: string, props: AppMeshMigrationPlanProps = {}) {
    super(scope, id);
    const files = artifactFileNames(this, { json: 'app-mesh-migration.json', markdown: 'app-mesh-migration.md', mermaid: 'app-mesh-migration.mmd' });
    this.jsonFileName = files.json;
    this.markdownFileName = files.markdown;
    this.mermaidFileName = files.mermaid;

    let plan: MigrationPlan | undefined;
    const planOnce = () => {
      plan = plan ?? planMigration(readAppMeshFacts(scope), { namespaceName: props.namespaceName });
      return plan;
    };
    // Read-only, so after every aspect that may still change the resources it reads. The plan has no
    // children, so the aspect visits it alone, once.
    Aspects.of(this).add({
      visit: (node: IConstruct) => {
        if (node === this && plan === undefined) {
          warnFindings(scope, planOnce());
        }
      },
    }, { priority: AspectPriority.READONLY });
    writeArtifactsAtSynth(this, AppMeshMigrationPlan.METADATA_TYPE, files, () => {
      const result = planOnce();
      return {
        json: JSON.stringify({ ...result, code: planToCode(result) }, undefined, 2) + '\n',
        markdown: planToMarkdown(result),
        mermaid: planToMermaid(result),
      };
    });
  }
}

/** Each finding as an acknowledgeable warning on the construct it is about. */
function warnFindings(scope: IConstruct, plan: MigrationPlan): void {
  const byPath = new Map(scope.node.findAll().map((c) => [c.node.path, c]));
  for (const finding of plan.findings) {
    const target = byPath.get(finding.path) ?? scope;
    addAcknowledgeableWarning(target, `cdk-service-connect:${finding.id}`,
      pathError(finding.path, finding.problem, finding.value, finding.fix, finding.id).message);
  }
}
