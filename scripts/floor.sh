#!/usr/bin/env bash
# The declared floor, tested: the type-check, the jest suite and every README, doc-comment and recipe
# example (jsii-rosetta, strict) run against the lowest aws-cdk-lib and constructs that package.json
# accepts (its peerDependencies), in a scratch copy of the repository, so that the checkout's own
# node_modules (aws-cdk-lib at the development version) is never touched.
#
# Usage: scripts/floor.sh            (or `npx projen test:floor`)
#   FLOOR_KEEP=1 keeps the scratch copy and prints where it is.
#   Any arguments are passed to jest (e.g. a test file to run only that one); the examples always run.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
export JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION=1

# The floor is whatever the published package.json promises: `^2.178.0` → 2.178.0.
floor() { node -p "require('./package.json').peerDependencies['$1'].replace(/^[\\^~>=]+/, '')"; }
cdk_floor="$(floor aws-cdk-lib)"
constructs_floor="$(floor constructs)"

for spec in "aws-cdk-lib@$cdk_floor" "constructs@$constructs_floor"; do
  if [ "$(npm view "$spec" version 2>/dev/null)" != "${spec#*@}" ]; then
    echo "floor: the registry does not serve $spec" >&2
    exit 1
  fi
done

# shellcheck source=lib/scratch.sh
source "$root/scripts/lib/scratch.sh"
scratch_dir floor "${FLOOR_KEEP:-}"

# Tracked files (as in the working tree) and new files not yet ignored: what a fresh clone would hold.
# Never node_modules, not even a symlink to another checkout's (.gitignore's `/node_modules/` matches a
# directory only): `npm ci` below must install into the scratch copy.
step "copying the repository to $scratch"
git ls-files -z --cached --others --exclude-standard -- . ':(exclude)node_modules' \
  | tar --null --files-from=- --ignore-failed-read -cf - 2>/dev/null \
  | tar -xf - -C "$scratch"
cd "$scratch"

step "npm ci"
npm ci --no-audit --no-fund --loglevel=error
# The scratch copy develops against the floor: its package.json pins the development dependencies on
# aws-cdk-lib and constructs to the floor versions (`npm install --no-save` would keep the lock file's
# constructs). Development dependencies that want a newer aws-cdk-lib as a peer (integ-tests-alpha,
# cdk-nag) would make npm refuse the downgrade; they run against whatever is installed, which is the point.
step "installing aws-cdk-lib@$cdk_floor and constructs@$constructs_floor"
node -e '
const fs = require("fs");
const pkg = JSON.parse(fs.readFileSync("package.json", "utf8"));
pkg.devDependencies["aws-cdk-lib"] = process.argv[1];
pkg.devDependencies["constructs"] = process.argv[2];
fs.writeFileSync("package.json", JSON.stringify(pkg, null, 2) + "\n");
' "$cdk_floor" "$constructs_floor"
npm install --no-audit --no-fund --loglevel=error --legacy-peer-deps
installed="$(node -p "require('aws-cdk-lib/package.json').version + ' ' + require('constructs/package.json').version")"
if [ "$installed" != "$cdk_floor $constructs_floor" ]; then
  echo "floor: expected aws-cdk-lib $cdk_floor and constructs $constructs_floor, found $installed" >&2
  exit 1
fi

# Test files whose first lines say `// @floor-skip: <reason>` exercise user code written with aws-cdk-lib
# features newer than the floor (or dev tools that need them): users at the floor cannot write that code.
# They are left out of the type-check and of jest here, and only here.
mapfile -t skipped < <(grep -rlE '^// @floor-skip: ' test --include='*.ts' | sort)
for file in "${skipped[@]}"; do
  echo "floor: skipping $file: $(grep -m1 -oP '^// @floor-skip: \K.*' "$file")"
done
node -e '
const [, ...files] = process.argv;
const path = require("path");
require("fs").writeFileSync("test/tsconfig.floor.json", JSON.stringify({
  extends: "./tsconfig.json",
  exclude: ["node_modules", ...files.map((f) => path.relative("test", f))],
}, null, 2));
' -- "${skipped[@]}"

step "type-check (tsc --noEmit -p test/tsconfig.json, less the skipped files)"
npx tsc --noEmit -p test/tsconfig.floor.json

step "jest"
ignore=(--testPathIgnorePatterns=/node_modules/)
for file in "${skipped[@]}"; do ignore+=("--testPathIgnorePatterns=<rootDir>/$file"); done
# (the ignore patterns last: jest takes the words after an array option as more of its values)
npx jest --ci --coverage=false --maxWorkers="${FLOOR_JEST_WORKERS:-2}" "$@" "${ignore[@]}"

step "jsii compile"
npx jsii --silence-warnings=reserved-word
step "README and doc-comment examples (jsii-rosetta, strict)"
npx jsii-rosetta extract --strict --fail .jsii
step "docs/recipes.md examples (jsii-rosetta, strict)"
npx ts-node --transpile-only --project scripts/tsconfig.json scripts/rosetta-recipes.ts

step "passed against aws-cdk-lib $cdk_floor and constructs $constructs_floor"
