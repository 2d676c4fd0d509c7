"""Supply chain: every dependency is locked to one version with hashes, the ranges people edit are
bounded above, and `make run` / `make test` install from the locks and nothing else."""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

INPUTS = {"requirements.txt": "requirements.lock", "requirements-dev.txt": "requirements-dev.lock",
          "requirements-tools.txt": "requirements-tools.lock"}
_PIN = re.compile(r"^(?P<name>[A-Za-z0-9._-]+)==(?P<version>[^ ;\\]+)(?P<marker> ;[^\\]*)? \\$")


def locked(path: Path) -> dict[str, tuple[str, list[str]]]:
    """name -> (version, hashes) of a lock file written by `make lock`."""
    out: dict[str, tuple[str, list[str]]] = {}
    current = None
    for raw in path.read_text(encoding="utf-8").splitlines():
        m = _PIN.match(raw)
        if m:
            current = canonicalize_name(m["name"])
            out[current] = (m["version"], [])
        elif raw.strip().startswith("--hash=sha256:") and current:
            out[current][1].append(raw.strip().removeprefix("--hash=sha256:").rstrip(" \\"))
        elif raw.strip() and not raw.lstrip().startswith("#"):
            current = None
    return out


def requirements(path: Path) -> list[Requirement]:
    """The requirements a person wrote in one input file (with the files it includes)."""
    out = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if line.startswith("-r "):
            out += requirements(path.parent / line[3:].strip())
        elif line:
            out.append(Requirement(line))
    return out


@pytest.mark.parametrize("source", sorted(INPUTS))
def test_every_requirement_is_locked_to_one_version_with_hashes(project_root: Path, source: str):
    lock = locked(project_root / INPUTS[source])
    assert lock, f"{INPUTS[source]} is empty"
    for name, (_version, hashes) in lock.items():
        assert hashes and all(re.fullmatch(r"[0-9a-f]{64}", h) for h in hashes), name
    for req in requirements(project_root / source):
        name = canonicalize_name(req.name)
        assert name in lock, f"{req.name} of {source} is not in {INPUTS[source]}"
        assert req.specifier.contains(lock[name][0], prereleases=True), f"{req} but locked {lock[name][0]}"


@pytest.mark.parametrize("source", sorted(INPUTS))
def test_every_range_people_edit_has_an_upper_bound(project_root: Path, source: str):
    """`ruff>=0.6` let a fresh clone fail lint one day with no change to the code."""
    for req in requirements(project_root / source):
        assert any(s.operator in ("<", "<=", "==", "~=") for s in req.specifier), f"{req} in {source} has no upper bound"


def test_the_run_lock_and_the_dev_lock_name_the_same_versions(project_root: Path):
    run, dev = locked(project_root / "requirements.lock"), locked(project_root / "requirements-dev.lock")
    assert run and set(run) <= set(dev)
    assert {n: run[n][0] for n in run} == {n: dev[n][0] for n in run}


def test_make_installs_only_from_the_locks_with_hashes(project_root: Path):
    makefile = (project_root / "Makefile").read_text(encoding="utf-8")
    installs = [ln for ln in makefile.splitlines() if "pip install" in ln or ln.lstrip().startswith("$(PIP)")]
    assert installs
    pip = re.search(r"^PIP\s*:=(.*)$", makefile, re.MULTILINE)
    assert pip and "--require-hashes" in pip.group(1) and "--no-deps" in pip.group(1)
    assert "$(PIP) -r requirements.lock" in makefile and "$(PIP) -r requirements-dev.lock" in makefile
    assert not re.search(r"pip install[^\n]*-r requirements(-dev)?\.txt", makefile)
    assert re.search(r"^run: \$\(VENV\)/\.run-deps", makefile, re.MULTILINE)
    assert re.search(r"^test: \$\(VENV\)/\.dev-deps", makefile, re.MULTILINE)
    assert re.search(r"^\$\(VENV\)/\.dev-deps: \$\(VENV\)/\.run-deps requirements-dev\.lock", makefile, re.MULTILINE)
    assert re.search(r"^lock:", makefile, re.MULTILINE)


def test_a_file_that_does_not_match_the_lock_is_refused_by_the_install(project_root: Path, tmp_path: Path):
    """The lock's hashes are what pip checks: a wheel with other bytes (a poisoned mirror, a
    tampered cache) is refused, and nothing is installed. No network: a local wheel only."""
    name, (version, hashes) = next(iter(locked(project_root / "requirements.lock").items()))
    wheels = tmp_path / "wheels"
    wheels.mkdir()
    with zipfile.ZipFile(wheels / f"{name.replace('-', '_')}-{version}-py3-none-any.whl", "w") as whl:
        whl.writestr(f"{name.replace('-', '_')}/__init__.py", "raise SystemExit('poisoned')\n")
    lock = tmp_path / "one.lock"
    lock.write_text(f"{name}=={version} \\\n" + " \\\n".join(f"    --hash=sha256:{h}" for h in hashes) + "\n")
    proc = subprocess.run([sys.executable, "-m", "pip", "install", "--dry-run", "--ignore-installed", "--no-index", "--find-links",
                           str(wheels), "--require-hashes", "--no-deps", "-r", str(lock)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode != 0
    assert "HASH" in proc.stderr.upper() and "DO NOT MATCH" in proc.stderr.upper(), proc.stderr
