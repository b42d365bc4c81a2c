#!/usr/bin/env bash
# The package as users install it: the npm tarball the release publishes (`npx projen package:js`, from the
# compiled library), installed into a fresh app outside the repository, next to aws-cdk-lib and constructs at
# the floor the package declares (its peerDependencies) and at the newest versions the registry serves. The
# README's quick start is the app: it is compiled with strict `tsc` (the tsconfig `cdk init app` writes) and
# synthesized, and the templates are checked for what the README says the user gets.
#
# Usage: scripts/consumer-test.sh [floor|latest ...]   (or `npx projen test:consumer`; default: both)
#   Needs a compiled library (`npx projen compile`). CONSUMER_KEEP=1 keeps the apps and prints where.
# Python: the wheel is built and checked by the release dry run (scripts/release-dry-run.sh); installing it
# needs aws-cdk-lib and jsii from PyPI, which this machine cannot reach.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
export JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION=1

if [ ! -f .jsii ]; then
  echo "consumer: no .jsii; run 'npx projen compile' first" >&2
  exit 1
fi

# shellcheck source=lib/scratch.sh
source "$root/scripts/lib/scratch.sh"
scratch_dir consumer "${CONSUMER_KEEP:-}"

# The tarball the release publishes, packed from this checkout into the scratch directory (dist/ is untouched).
step "packing the library (jsii-pacmak --target js)"
npx jsii-pacmak --target js --outdir "$scratch/dist" >/dev/null
tarball="$(ls "$scratch"/dist/js/*.tgz)"

# The README's quick start, as a user copies it, plus the `app.synth()` that `cdk synth` would call.
node -e '
const readme = require("fs").readFileSync("README.md", "utf8");
const section = readme.slice(readme.indexOf("\n## Quick start"));
const match = /```ts[^\n]*\n([\s\S]*?)\n```/.exec(section);
if (!match || !match[1].includes("cdk-service-connect")) { console.error("consumer: no quick start in README.md"); process.exit(1); }
require("fs").writeFileSync(process.argv[1], match[1] + "\n\napp.synth();\n");
' "$scratch/quick-start.ts"

peer() { node -p "require('./package.json').peerDependencies['$1'].replace(/^[\\^~>=]+/, '')"; }
typescript="$(node -p "require('typescript/package.json').version")"

run() {
  local label="$1" cdk="$2" constructs="$3"
  local app="$scratch/app-$label"
  mkdir -p "$app"
  step "$label: a fresh app with aws-cdk-lib $cdk and constructs $constructs in $app"
  cp "$scratch/quick-start.ts" "$app/app.ts"
  # What `cdk init app --language typescript` writes (aws-cdk 2.1148), strict, emitting JavaScript to run, without
  # jest. Its skipLibCheck stays: aws-cdk-lib 2.278's own declarations need lib esnext.disposable.
  cat > "$app/tsconfig.json" <<'JSON'
{
  "compilerOptions": {
    "target": "ES2022",
    "module": "NodeNext",
    "moduleResolution": "NodeNext",
    "lib": ["es2022"],
    "declaration": true,
    "strict": true,
    "noImplicitAny": true,
    "strictNullChecks": true,
    "noImplicitThis": true,
    "alwaysStrict": true,
    "noUnusedLocals": false,
    "noUnusedParameters": false,
    "noImplicitReturns": true,
    "noFallthroughCasesInSwitch": false,
    "inlineSourceMap": true,
    "inlineSources": true,
    "experimentalDecorators": true,
    "strictPropertyInitialization": false,
    "skipLibCheck": true,
    "typeRoots": ["./node_modules/@types"],
    "isolatedModules": true,
    "types": ["node"],
    "outDir": "out"
  },
  "include": ["app.ts"]
}
JSON
  node -e '
const [dir, tarball, cdk, constructs, typescript] = process.argv.slice(1);
require("fs").writeFileSync(dir + "/package.json", JSON.stringify({
  name: "consumer-app", version: "0.0.0", private: true,
  dependencies: { "cdk-service-connect": "file:" + tarball, "aws-cdk-lib": cdk, constructs },
  devDependencies: { typescript, "@types/node": "^22" },
}, null, 2));
' "$app" "$tarball" "$cdk" "$constructs" "$typescript"
  (cd "$app" && npm install --no-audit --no-fund --loglevel=error)
  (cd "$app" && node -e '
const [cdk, constructs] = process.argv.slice(1);
const version = (name) => require(require.resolve(name + "/package.json", { paths: [process.cwd()] })).version;
const fs = require("fs");
if (fs.lstatSync("node_modules/cdk-service-connect").isSymbolicLink()) throw new Error("cdk-service-connect is a link, not installed from the tarball");
if (!fs.existsSync("node_modules/cdk-service-connect/.jsii")) throw new Error("the installed package has no .jsii");
const found = `aws-cdk-lib ${version("aws-cdk-lib")}, constructs ${version("constructs")}`;
if (found !== `aws-cdk-lib ${cdk}, constructs ${constructs}`) throw new Error(`installed ${found}`);
console.log(`consumer: installed ${found}, cdk-service-connect ${version("cdk-service-connect")}`);
' "$cdk" "$constructs")

  step "$label: tsc (strict)"
  (cd "$app" && npx tsc -p tsconfig.json)
  step "$label: synth"
  (cd "$app" && CDK_OUTDIR="$app/cdk.out" node out/app.js)
  node "$root/scripts/check-consumer-synth.js" "$app/cdk.out"
  step "$label: passed"
}

targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(floor latest)
for target in "${targets[@]}"; do
  case "$target" in
    floor) run floor "$(peer aws-cdk-lib)" "$(peer constructs)" ;;
    latest) run latest "$(npm view aws-cdk-lib version)" "$(npm view constructs version)" ;;
    *) echo "consumer: unknown target $target (floor, latest)" >&2; exit 1 ;;
  esac
done
