"""The projects the tests copy and synthesize, and one shared environment per provider major.

Installing a project's dependencies takes about a minute, so each framework and provider
major gets ONE virtual environment per run, shared by the pytest-xdist workers under a file lock.
The verification hook uses it through TAP_TEMPLATE_PYTHON instead of running
`pipenv install` per project. The uv cases are the exception: their verification runs
`uv sync`, as a user's copy does, and their tests use the project's own .venv.

Each case of the matrix is copied, and synthesized by the verification, once per run:
tests of a case in any module share it, and carry the mark xdist_group(case) so that
they run on the one worker that holds it.
"""

import functools
import json
import os
import random
import subprocess
import venv
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

import pytest
import yaml
from filelock import FileLock

from matrix import CASES
from random_answers import SEED_VARIABLE
from rendering import project_requirements, render, render_verified

# The doctor's fixture projects hold tests of their own: data for the doctor, not tests to run.
collect_ignore = ["doctor_fixtures"]


def pytest_configure(config: pytest.Config) -> None:
    """One seed per run for the random answer sets (tests/test_random_answers.py), chosen
    before the xdist workers start: they inherit it, so they collect the same tests."""
    os.environ.setdefault(SEED_VARIABLE, str(random.SystemRandom().randrange(2**32)))


def pytest_report_header(config: pytest.Config) -> str:
    return f"random answer sets: {SEED_VARIABLE}={os.environ[SEED_VARIABLE]} replays them"


@pytest.fixture(scope="session")
def project_python(tmp_path_factory: pytest.TempPathFactory) -> Callable[..., str]:
    """project_python(framework, major) -> an interpreter with the dependencies of projects
    on that framework (cdktf, cdktn) and provider major."""
    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent  # the run's folder, the same for every xdist worker

    @functools.cache
    def environment(framework: str = "cdktf", major: int = 6) -> str:
        toolchain = f"{framework}-aws{major}"
        answers = {"framework": framework, "aws_provider_major": major}
        requirements = project_requirements(render(tmp_path_factory.mktemp(f"deps-{toolchain}"), answers))
        home = shared / f"project-env-{toolchain}"
        python = home / "bin" / "python"
        with FileLock(f"{home}.lock"):
            if not (home / "installed").exists():
                venv.create(home, with_pip=True, clear=True)
                subprocess.run(
                    [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *requirements],
                    check=True,
                )
                (home / "installed").write_text("\n".join(requirements))
        return str(python)

    return environment


class Generated(NamedTuple):
    answers: dict
    project: Path
    report: str  # what the post-copy verification printed
    python: str  # an interpreter with the project's dependencies

    def recorded_answers(self) -> dict:
        """The answers copier recorded: those given, and the defaults (a preset's among them)."""
        return yaml.safe_load((self.project / ".copier-answers.yml").read_text())

    def stack(self) -> dict:
        """The synthesized stack (the verification's synth): cdktf.out/stacks/*/cdk.tf.json."""
        (stack,) = (self.project / "cdktf.out" / "stacks").glob("*/cdk.tf.json")
        return json.loads(stack.read_text())


@pytest.fixture(scope="session")
def generated(project_python, tmp_path_factory) -> Callable[[str], Generated]:
    """generated(case) -> that case of the matrix, copied with verification once per run."""

    @functools.cache
    def copy(case: str) -> Generated:
        answers = CASES[case]
        destination = tmp_path_factory.mktemp(case) / "project"
        if answers.get("package_manager") == "uv":
            project, report = render_verified(destination, answers, python=None)
            return Generated(answers, project, report, str(project / ".venv" / "bin" / "python"))
        python = project_python(answers.get("framework", "cdktf"), answers.get("aws_provider_major", 6))
        project, report = render_verified(destination, answers, python)
        return Generated(answers, project, report, python)

    return copy
