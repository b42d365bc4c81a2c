#!/usr/bin/env bash
# The release, run locally as far as this machine allows, in a scratch clone (the checkout is never bumped):
# what `npx projen release` and the release workflow's packaging jobs do, without publishing.
#
#   1. `npx projen bump`: the next version from the conventional commits since the latest tag, into
#      package.json, dist/version.txt, dist/releasetag.txt and dist/changelog.md;
#   2. the jsii compile and `npx projen package:js` (dist/js, the npm tarball) and `npx projen package:python`
#      (dist/python, wheel and sdist; see below for a machine without PyPI);
#   3. scripts/check-release-artifacts.py: the artifacts carry the bumped version, the files and the metadata
#      users install.
#
# Skipped, and why: Java (Maven), C# (NuGet) and Go packaging need the JDK with Maven Central, the .NET SDK
# with nuget.org, and the Go toolchain with proxy.golang.org, none of which this machine reaches; `.ci/run`
# generates their code with `jsii-pacmak --code-only` instead. The tests (`npm test`) are not run again here:
# `.ci/run` runs them on the same commit. Publishing needs the secrets of RELEASING.md, held by GitHub only.
#
# Usage: scripts/release-dry-run.sh   (or `npx projen release:dry-run`)
#   RELEASE_KEEP=1 keeps the scratch clone and prints where it is.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
export JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION=1

if [ -n "$(git status --porcelain)" ]; then
  echo "release: the working tree has uncommitted changes; the dry run releases the commit HEAD, so commit first" >&2
  exit 1
fi

# shellcheck source=lib/scratch.sh
source "$root/scripts/lib/scratch.sh"
scratch_dir release "${RELEASE_KEEP:-}"

# A clone holds the history and the tags the bump reads; the checkout's HEAD, whatever branch it is on.
step "cloning HEAD ($(git rev-parse --short HEAD)) into $scratch"
git clone --quiet --no-hardlinks "$root" "$scratch/repo"
cd "$scratch/repo"
git checkout --quiet --detach "$(git -C "$root" rev-parse HEAD)"
git config user.name "release dry run"
git config user.email "release@localhost"

step "npm ci"
# As in the release task: projen keeps the bumped version in package.json only when RELEASE is set.
export RELEASE=true
npm ci --no-audit --no-fund --loglevel=error --prefer-offline

before="$(node -p "require('./package.json').version")"
step "bump (from version $before, latest tag: $(git describe --tags --abbrev=0 2>/dev/null || echo none))"
npx projen bump
version="$(cat dist/version.txt)"
tag="$(cat dist/releasetag.txt)"
step "bumped to $version (tag $tag)"

step "compile, package:js"
npx projen compile
npx projen package:js

# package:python is jsii-pacmak, which builds in a fresh venv with the build tools it pins (setuptools~=75.3.2,
# build~=1.5.0, twine~=7.0.0) from PyPI. Where PyPI is out of reach (here: pip sees only a local index, without
# those versions), the same wheel and sdist are built from jsii-pacmak's generated source with the setuptools
# and build pip can get, without build isolation. Where PyPI answers, package:python runs as the release does.
if python3 -c 'import urllib.request; urllib.request.urlopen("https://pypi.org/simple/setuptools/", timeout=10)' 2>/dev/null; then
  step "package:python"
  npx projen package:python
else
  step "package:python: PyPI is out of reach, so jsii-pacmak cannot install its pinned build tools; building dist/python from the generated source"
  npx jsii-pacmak --code-only --target python --outdir dist/code
  python3 -m venv "$scratch/venv"
  PIP_RETRIES=0 "$scratch/venv/bin/pip" install --quiet --upgrade setuptools wheel build
  "$scratch/venv/bin/python" -m build --no-isolation --skip-dependency-check --sdist --wheel --outdir dist/python dist/code/python
fi

step "checking dist/"
python3 scripts/check-release-artifacts.py "$before" "$version"
step "release dry run passed: $version in dist/js and dist/python"
