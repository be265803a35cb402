"""tap-doctor on real projects that nobody here wrote: no crash, nothing written into them,
and no error whose claim is false.

The projects are CDKTF Python projects that were reviewed, accepted and deployed by their
own CI (../shared/realworld: its README says where they come from; TAP_DOCTOR_REALWORLD
names other folders of projects, separated by os.pathsep). They are data, never copied into
this repository: the patterns they teach have fixture projects of our own in
tests/doctor_fixtures. Without the folder, the test is skipped and says so.

An error on an accepted project is almost always a false claim. The few below were checked
by hand and are true: the project as it is would fail there.
"""

import json
import os
from pathlib import Path

import pytest

from doctoring import doctor, files_in

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "realworld"
FOLDERS = [Path(folder) for folder in os.environ.get("TAP_DOCTOR_REALWORLD", str(DEFAULT)).split(os.pathsep)]
PROJECTS = sorted(
    project
    for folder in FOLDERS
    if folder.is_dir()
    for project in folder.iterdir()
    if (project / "cdktf.json").is_file()
)
# (project, rule, location): why the error is true.
TRUE_ERRORS = {
    ("Pr6430", "cdktf-json", "cdktf.json"): "cdktf.json's app runs main.py, which the project does not have",
    ("Pr7258", "lambda-imports", "lib/lambda/validation/handler.py:6"): (
        "the handler imports psycopg2 at the top; the asset is the folder with handler.py alone, no layer"
    ),
    ("Pr7785", "lambda-imports", "lib/lambda/data_validator.py:5"): (
        "the handler imports psycopg2 at the top; the asset is lib/lambda with three handlers, no layer"
    ),
    **{
        ("Pr7242", "lambda-handler", f"lib/tap_stack.py:{line}"): (
            "handler index.handler; lib/lambda_placeholder.zip holds lambda_handler.py alone: every invocation "
            "fails with Runtime.ImportModuleError (the deploy itself succeeds)"
        )
        for line in (548, 579, 871)
    },
}


@pytest.mark.skipif(not PROJECTS, reason=f"no real projects in {os.pathsep.join(map(str, FOLDERS))}")
@pytest.mark.parametrize("project", PROJECTS, ids=[project.name for project in PROJECTS])
def test_no_crash_nothing_written_and_no_false_error(project):
    before = files_in(project)
    result = doctor(project, "--no-synth", "--format", "json")
    assert "Traceback" not in result.stdout + result.stderr
    assert result.returncode in (0, 1), result.stderr
    assert files_in(project) == before
    errors = [found for found in json.loads(result.stdout) if found["severity"] == "error"]
    unexplained = [found for found in errors if (project.name, found["rule"], found["location"]) not in TRUE_ERRORS]
    assert unexplained == []
    assert result.returncode == (1 if errors else 0)
