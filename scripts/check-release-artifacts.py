"""Checks what a release run left in dist/ (scripts/release-dry-run.sh): a bumped version, the npm tarball
(dist/js) and the Python wheel and sdist (dist/python), each carrying that version, the files users install
and the metadata the registries show. Exits 1 naming every problem.

Usage: python3 scripts/check-release-artifacts.py <version before the bump> <version after the bump>
"""
import email.parser
import io
import json
import re
import sys
import tarfile
import zipfile
from pathlib import Path

NAME = "cdk-service-connect"
MODULE = "cdk_service_connect"
CLASSES = ["ClientServerService", "ClientService", "ServiceConnectNamespace", "ServiceConnectRules"]

problems: list[str] = []


def check(ok: bool, problem: str) -> None:
    if not ok:
        problems.append(problem)


def semver(version: str) -> tuple[int, int, int]:
    match = re.fullmatch(r"(\d+)\.(\d+)\.(\d+)", version)
    if not match:
        raise SystemExit(f"release: '{version}' is not a release version x.y.z")
    return (int(match[1]), int(match[2]), int(match[3]))


def main(before: str, version: str) -> None:
    dist = Path("dist")
    check(semver(version) > semver(before), f"the version was not bumped: {before} -> {version}")
    check((dist / "version.txt").read_text().strip() == version, "dist/version.txt does not hold the bumped version")
    check((dist / "releasetag.txt").read_text().strip() == f"v{version}", "dist/releasetag.txt is not v<version>")
    check(re.search(rf"^## \[?{re.escape(version)}\]?", (dist / "changelog.md").read_text(), re.M) is not None,
          "dist/changelog.md has no section for the version")
    manifest = json.loads(Path("package.json").read_text())
    check(manifest["version"] == version, f"package.json says {manifest['version']}, not {version}")
    peers = manifest["peerDependencies"]

    # npm: the tarball jsii-pacmak packs, which the release workflow publishes as is.
    tarball = dist / "js" / f"{NAME}@{version}.jsii.tgz"
    check(tarball.is_file(), f"no {tarball}")
    assembly_in_js = None
    if tarball.is_file():
        with tarfile.open(tarball) as tar:
            names = set(tar.getnames())
            for required in ["package.json", ".jsii", "lib/index.js", "lib/index.d.ts", "README.md", "API.md", "LICENSE"]:
                check(f"package/{required}" in names, f"{tarball.name} lacks {required}")
            packed = json.load(tar.extractfile("package/package.json"))
            check(packed["version"] == version, f"{tarball.name}: package.json version {packed['version']}")
            check(packed.get("peerDependencies") == peers, f"{tarball.name}: peerDependencies {packed.get('peerDependencies')}")
            check(not any(n.startswith(("package/test/", "package/src/", "package/scripts/")) for n in names),
                  f"{tarball.name} holds development files")
            assembly_in_js = json.load(tar.extractfile("package/.jsii"))
            check(assembly_in_js["version"] == version, f"{tarball.name}: the jsii assembly says {assembly_in_js['version']}")

    # Python: the wheel and the sdist.
    wheel = dist / "python" / f"{MODULE}-{version}-py3-none-any.whl"
    sdist = dist / "python" / f"{MODULE}-{version}.tar.gz"
    check(wheel.is_file(), f"no {wheel}")
    check(sdist.is_file(), f"no {sdist}")
    if wheel.is_file():
        with zipfile.ZipFile(wheel) as whl:
            names = set(whl.namelist())
            embedded = f"{MODULE}/_jsii/{NAME}@{version}.jsii.tgz"
            for required in [f"{MODULE}/__init__.py", f"{MODULE}/py.typed", f"{MODULE}/_jsii/__init__.py", embedded]:
                check(required in names, f"{wheel.name} lacks {required}")
            meta_name = next((n for n in names if n.endswith(".dist-info/METADATA")), None)
            check(meta_name is not None, f"{wheel.name} has no METADATA")
            if meta_name:
                meta = email.parser.Parser().parsestr(whl.read(meta_name).decode())
                check(meta["Name"] == NAME, f"{wheel.name}: Name {meta['Name']}")
                check(meta["Version"] == version, f"{wheel.name}: Version {meta['Version']}")
                requires = [r.replace(" ", "") for r in meta.get_all("Requires-Dist") or []]
                floor_cdk = peers["aws-cdk-lib"].lstrip("^")
                floor_constructs = peers["constructs"].lstrip("^")
                check(any(r.startswith("aws-cdk-lib") and f">={floor_cdk}" in r and "<3.0.0" in r for r in requires),
                      f"{wheel.name}: no aws-cdk-lib>={floor_cdk},<3 in Requires-Dist {requires}")
                check(any(r.startswith("constructs") and f">={floor_constructs}" in r and "<11.0.0" in r for r in requires),
                      f"{wheel.name}: no constructs>={floor_constructs},<11 in Requires-Dist {requires}")
                check(any(r.startswith("jsii") for r in requires), f"{wheel.name}: no jsii runtime in Requires-Dist")
                check(meta["License"] == "Apache-2.0" or "Apache-2.0" in (meta.get("License-Expression") or ""),
                      f"{wheel.name}: license {meta['License']}")
                check(bool(meta["Requires-Python"]), f"{wheel.name}: no Requires-Python")
                check("Service Connect" in (meta.get_payload() or ""), f"{wheel.name}: the long description is not the README")
            source = whl.read(f"{MODULE}/__init__.py").decode() if f"{MODULE}/__init__.py" in names else ""
            for cls in CLASSES:
                check(f"class {cls}(" in source, f"{wheel.name}: the module defines no class {cls}")
            for name in sorted(n for n in names if n.endswith(".py")):
                try:
                    compile(whl.read(name).decode(), name, "exec")
                except SyntaxError as error:
                    problems.append(f"{wheel.name}: {name} does not compile: {error}")
            if embedded in names and assembly_in_js is not None:
                with tarfile.open(fileobj=io.BytesIO(whl.read(embedded))) as tar:
                    check(json.load(tar.extractfile("package/.jsii")) == assembly_in_js,
                          f"{wheel.name}: the embedded jsii assembly differs from the npm tarball's")
    if sdist.is_file():
        with tarfile.open(sdist) as tar:
            info = next((m for m in tar.getmembers() if m.name.endswith("/PKG-INFO") and m.name.count("/") == 1), None)
            check(info is not None, f"{sdist.name} has no PKG-INFO")
            if info:
                meta = email.parser.Parser().parsestr(tar.extractfile(info).read().decode())
                check(meta["Name"] == NAME and meta["Version"] == version, f"{sdist.name}: {meta['Name']} {meta['Version']}")

    if problems:
        print("release: the artifacts are not what a release publishes:", file=sys.stderr)
        for problem in problems:
            print(f"  - {problem}", file=sys.stderr)
        sys.exit(1)
    print(f"release: {before} -> {version}; {tarball}, {wheel}, {sdist} hold the version, the files and the metadata")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    main(sys.argv[1], sys.argv[2])
