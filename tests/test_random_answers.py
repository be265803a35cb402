"""Property: whatever the questionnaire accepts renders a project that synthesizes, keeps
the stack's promises (the verification's checks) and passes its own unit tests.

Each run draws TAP_TEMPLATE_RANDOM_SETS answer sets (2 unless set) from the run's seed,
printed in pytest's header and in each test's name (`seed=...`): TAP_TEMPLATE_SEED=<seed>
replays them (conftest.py chooses it).
"""

import os
import re
import subprocess

import pytest
import yaml

from random_answers import SEED_VARIABLE, random_answers
from rendering import assert_files_parse, project_task, render_verified

RUN_SEED = int(os.environ[SEED_VARIABLE])
SEEDS = [RUN_SEED + index for index in range(int(os.environ.get("TAP_TEMPLATE_RANDOM_SETS", "2")))]


@pytest.mark.synth
@pytest.mark.parametrize("seed", SEEDS, ids=[f"seed={seed}" for seed in SEEDS])
def test_random_valid_answers_render_synthesize_and_pass_their_own_tests(seed, project_python, tmp_path):
    answers = random_answers(seed)
    uv = answers["package_manager"] == "uv"
    python = None if uv else project_python(answers["framework"], answers["aws_provider_major"])
    project, report = render_verified(tmp_path / "project", answers, python)
    python = str(project / ".venv" / "bin" / "python") if uv else python

    assert_files_parse(project)
    recorded = yaml.safe_load((project / ".copier-answers.yml").read_text())
    assert {key: recorded[key] for key in answers} == answers, f"TAP_TEMPLATE_SEED={seed}"
    steps = dict(re.findall(r"^  (\w+) +(passed|failed|skipped) ", report, re.MULTILINE))
    assert {steps[step] for step in ("sources", "synth", "stacks", "security")} == {"passed"}, report
    unit = subprocess.run(project_task(project, "test-unit", python), cwd=project, capture_output=True, text=True)
    assert unit.returncode == 0, f"TAP_TEMPLATE_SEED={seed} {answers}\n{unit.stdout[-4000:]}{unit.stderr[-2000:]}"
