"""Read a published package, either from a directory or from a git revision, without a checkout.

Releases are compared against tags, so the old version must be readable straight from git
(``git show REV:path``) while the working tree holds the new one.
"""

from __future__ import annotations

import posixpath
import subprocess
from pathlib import Path

from pipelines.common.errors import PipelineError
from pipelines.package.reader import DESCRIPTOR, Package, package_from, read_package


def _loaded(package: Package) -> Package:
    """Every table read now, so a bad resource fails the command before any comparison."""
    _ = package.tables
    return package


def read_directory_package(path: Path) -> Package:
    """A package on disk, labelled as the user named it."""
    package = read_package(path)
    return _loaded(Package(str(path), package.descriptor, package.read_text, package.descriptor_path))


def _git(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", "-C", str(repo), *args], capture_output=True, text=True, encoding="utf-8", check=False
    )


def is_revision(repo: Path, revision: str) -> bool:
    return _git(repo, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}").returncode == 0


def read_git_package(repo: Path, revision: str, descriptor_path: str = DESCRIPTOR) -> Package:
    """The package as committed at ``revision`` (a tag, branch or commit), read with ``git show``."""
    base = posixpath.dirname(descriptor_path)

    def show(path: str) -> str:
        result = _git(repo, "show", f"{revision}:{path}")
        if result.returncode != 0:
            raise PipelineError(f"{revision}: cannot read {path} ({result.stderr.strip()})")
        return result.stdout

    return _loaded(
        package_from(revision, show(descriptor_path), lambda relative: show(posixpath.join(base, relative)))
    )


def read_release_package(spec: str, repo: Path) -> Package:
    """Resolve ``spec``: an existing path first, else ``REV`` or ``REV:path/to/datapackage.json``."""
    path = Path(spec)
    if path.exists():
        return read_directory_package(path)
    revision, _, descriptor_path = spec.partition(":")
    if revision and is_revision(repo, revision):
        return read_git_package(repo, revision, descriptor_path or DESCRIPTOR)
    raise PipelineError(f"{spec}: neither a package path nor a git revision of {repo}")
