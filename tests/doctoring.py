"""tap-doctor's fixture projects and how the tests run the doctor on them.

tests/doctor_fixtures/base is a small tap-layout project the doctor finds nothing in.
tests/doctor_fixtures/RULE/VARIANT holds the files that differ from the base (after
RULE/common, the files a rule's variants share), and stack.patch.json, a JSON merge patch
(RFC 7396) of its synthesized stack. The base's
synth_from_json.py stands in for `cdktf synth`: the tests write each fixture's synth with it
and run the doctor with --synthesized, so no fixture needs cdktf installed.
"""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from rendering import TEMPLATE

FIXTURES = Path(__file__).parent / "doctor_fixtures"
DOCTOR = TEMPLATE / "hooks" / "tap_doctor.py"
COMMON = "common"  # a rule's files that all its variants share
# A doctor that hangs fails its test instead of the run.
DOCTOR_TIMEOUT_SECONDS = 120


def merge(target, patch):
    """RFC 7396: `patch` applied to `target` (null removes a member)."""
    if not isinstance(patch, dict):
        return patch
    merged = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = merge(merged.get(key), value)
    return merged


def fixture_project(tmp_path: Path, rule: str = "base", variant: str = ".") -> Path:
    """The base with the variant's files, and its synth in cdktf.out."""
    project = tmp_path / f"{rule}-{variant}"
    shutil.copytree(FIXTURES / "base", project)
    for layer in (FIXTURES / rule / COMMON, FIXTURES / rule / variant):
        for source in sorted(layer.rglob("*")) if variant != "." else []:
            if source.is_dir():
                continue
            if source.name == "stack.patch.json":
                stack = json.loads((project / "stack.json").read_text())
                (project / "stack.json").write_text(json.dumps(merge(stack, json.loads(source.read_text()))))
            else:
                target = project / source.relative_to(layer)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy(source, target)
    environment = {**os.environ, "CDKTF_OUTDIR": str(project / "cdktf.out")}
    subprocess.run([sys.executable, "synth_from_json.py"], cwd=project, env=environment, check=True)
    return project


def doctor(project: Path, *arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(DOCTOR), *arguments, str(project)],
        capture_output=True,
        text=True,
        check=False,
        timeout=DOCTOR_TIMEOUT_SECONDS,
    )


def findings_of(project: Path, *arguments: str) -> tuple[int, list[dict]]:
    """The exit status and the findings; --synthesized unless other arguments are given."""
    result = doctor(project, "--format", "json", *(arguments or ["--synthesized"]))
    assert result.returncode in (0, 1), result.stderr
    return result.returncode, json.loads(result.stdout)


def files_in(project: Path) -> dict[str, int]:
    """Every file and folder of a project, with when it last changed: what the doctor must not touch."""
    return {str(path.relative_to(project)): path.stat().st_mtime_ns for path in project.rglob("*")}
