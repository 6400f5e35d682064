"""Builds the README's "Using the core from Swift" snippets as a user would:
a new package whose Package.swift holds the README's dependency lines, next
to a checkout of this repository under a folder name other than
swift-pyopenssl, and whose main.swift holds the README's code. Run by tox's
`swift` env; fails (non-zero exit) when the snippets no longer build."""

import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRATCH = ROOT / ".build-readme"


def swift_blocks(readme: str) -> list[str]:
    section = readme.split("## Using the core from Swift", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```swift\n(.*?)```", section, re.S)


def make_package(directory: Path, manifest_lines: str, code: str) -> Path:
    # The checkout's folder name must not matter: link it under another name.
    checkout = directory / "vendor" / "some-checkout-name"
    checkout.parent.mkdir(parents=True)
    checkout.symlink_to(ROOT)
    manifest_lines = manifest_lines.replace("path/to/swift-pyopenssl", "vendor/some-checkout-name")
    dependency = [line for line in manifest_lines.splitlines() if line.strip().startswith(".package(")]
    product = [line for line in manifest_lines.splitlines() if line.strip().startswith(".product(")]
    assert len(dependency) == 1 and len(product) == 1, manifest_lines
    package = directory / "ReadmeExample"
    (package / "Sources" / "ReadmeExample").mkdir(parents=True)
    (package / "Package.swift").write_text(f"""// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "ReadmeExample",
    dependencies: [
        {dependency[0].strip()}
    ],
    targets: [
        .executableTarget(name: "ReadmeExample", dependencies: [
            {product[0].strip()}
        ]),
    ]
)
""".replace("vendor/some-checkout-name", str(checkout)))
    body = "\n".join("    " + line if line.strip() else "" for line in code.splitlines()
                     if not line.startswith("import "))
    imports = "\n".join(line for line in code.splitlines() if line.startswith("import "))
    # The snippet's free names (caPEM) become parameters of a function.
    (package / "Sources" / "ReadmeExample" / "main.swift").write_text(
        f"{imports}\n\nfunc readmeExample(caPEM: [UInt8]) throws {{\n{body}\n}}\n\n"
        "print(\"README snippet built\")\n")
    return package


def main() -> int:
    blocks = swift_blocks((ROOT / "README.md").read_text())
    if len(blocks) < 2:
        print("README: expected the Package.swift lines and a code block", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as directory:
        package = make_package(Path(directory), blocks[0], blocks[1])
        return subprocess.run(["swift", "run", "--package-path", str(package),
                               "--scratch-path", str(SCRATCH), "ReadmeExample"]).returncode


if __name__ == "__main__":
    sys.exit(main())
