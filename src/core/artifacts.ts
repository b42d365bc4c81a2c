import * as fs from 'fs';
import * as path from 'path';
import { attachCustomSynthesis, Names } from 'aws-cdk-lib';
import { Construct } from 'constructs';

/**
 * File names of a construct's artifacts in the cloud assembly directory: `<unique id>.<suffix>` per entry
 * of `suffixes` (e.g. `{ json: 'service-connect.json' }`).
 */
export function artifactFileNames<K extends string>(scope: Construct, suffixes: Record<K, string>): Record<K, string> {
  const base = Names.uniqueId(scope);
  return Object.fromEntries(Object.entries(suffixes).map(([k, suffix]) => [k, `${base}.${suffix}`])) as Record<K, string>;
}

/**
 * At synth, writes files into the cloud assembly directory, and records their names as `metadataType`
 * metadata of `scope`. `render` runs once, when the assembly is written, and returns each file's content by
 * the keys of `files`.
 */
export function writeArtifactsAtSynth<K extends string>(
  scope: Construct, metadataType: string, files: Record<K, string>, render: () => Record<K, string>,
): void {
  scope.node.addMetadata(metadataType, files);
  attachCustomSynthesis(scope, {
    onSynthesize: (session) => {
      const contents = render();
      for (const k of Object.keys(files) as K[]) {
        fs.writeFileSync(path.join(session.outdir, files[k]), contents[k]);
      }
    },
  });
}
