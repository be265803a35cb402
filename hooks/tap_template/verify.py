"""Verification of a generated project: sources, environment, one synth, stack checks.

Copier runs it after `copy` and `update` (hooks/post_copy.py). It prints a report of
what it verified, how long each step took and what it skipped, and exits 1 when a
step fails. Set TAP_TEMPLATE_PYTHON to an interpreter that has the project's
dependencies to use it instead of `pipenv install` (the template's tests share one
environment that way).
"""

import argparse
import json
import os
import shlex
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from tap_template.checks import check_stack, check_stack_call, load_cdktf_json

PYTHON_VARIABLE = "TAP_TEMPLATE_PYTHON"
PIPENV_PYTHON = ["pipenv", "run", "python"]
INSTALL_HINTS = {
    "node": "synth runs the CDKTF core in Node.js: install Node.js 20 or newer (https://nodejs.org/, "
    "or your system's nodejs package)",
    "pipenv": "the project's environment is managed by pipenv: install it with "
    "`python3 -m pip install --user pipenv` (or `pipx install pipenv`)",
}
# Environment for pipenv: never install into the virtualenv that runs copier, and stay quiet.
PIPENV_ENVIRONMENT = {
    "PIPENV_IGNORE_VIRTUALENVS": "1",
    "PIPENV_VERBOSITY": "-1",
    "PIPENV_NOSPIN": "1",
    "PIPENV_YES": "1",
}
LOG_TAIL_LINES = 40


class StepFailed(Exception):
    """A step could not do its work; the message says why and what to do."""

    def __init__(self, message: str, log: str = "") -> None:
        super().__init__(message)
        self.log = log


@dataclass
class Step:
    name: str
    status: str  # passed, failed or skipped
    detail: str
    seconds: float
    log: str = ""


class Verification:
    def __init__(self, project: Path, python: str | None) -> None:
        self.project = project
        self.python = python
        self.steps: list[Step] = []
        self.app: list[str] = []
        self.stacks: dict[str, dict] = {}

    def run(self) -> bool:
        """Run the steps in order, stopping at the first failure; True when all passed."""
        for name, step in (
            ("sources", self.check_sources),
            ("environment", self.prepare_environment),
            ("synth", self.synthesize),
            ("checks", self.check_stacks),
        ):
            started = time.monotonic()
            try:
                status, detail = step()
                self.steps.append(Step(name, status, detail, time.monotonic() - started))
            except StepFailed as failure:
                self.steps.append(Step(name, "failed", str(failure), time.monotonic() - started, failure.log))
                return False
        return True

    def check_sources(self) -> tuple[str, str]:
        config, problems = load_cdktf_json(self.project)
        problems += check_stack_call(self.project)
        if problems:
            raise StepFailed("\n".join(problems))
        self.app = shlex.split(config["app"])
        return "passed", "cdktf.json, and tap.py's TapStack call against its constructor"

    def prepare_environment(self) -> tuple[str, str]:
        require("node")
        if self.python:
            if self.app[:3] != PIPENV_PYTHON:
                raise StepFailed(
                    f"{PYTHON_VARIABLE} is set, but cdktf.json's app does not start with `pipenv run python`"
                )
            self.app = [self.python, *self.app[3:]]
            return "skipped", f"no install: {PYTHON_VARIABLE}={self.python} has the dependencies"
        require("pipenv")
        run(["pipenv", "install", "--dev"], self.project, PIPENV_ENVIRONMENT, "pipenv install --dev failed")
        return "passed", "pipenv install --dev"

    def synthesize(self) -> tuple[str, str]:
        outdir = self.project / "cdktf.out"
        shutil.rmtree(outdir, ignore_errors=True)  # no stale stacks from an earlier synth
        # CDKTF_OUTDIR is how `cdktf synth` tells the app where to write.
        run(
            self.app,
            self.project,
            {"CDKTF_OUTDIR": str(outdir), **PIPENV_ENVIRONMENT},
            f"synth ({shlex.join(self.app)}) failed",
        )
        manifest = json.loads((outdir / "manifest.json").read_text())
        for name, stack in manifest["stacks"].items():
            self.stacks[name] = json.loads((outdir / stack["synthesizedStackPath"]).read_text())
        if not self.stacks:
            raise StepFailed("the app synthesized no stack")
        return "passed", f"{shlex.join(self.app)}: {', '.join(self.stacks)}"

    def check_stacks(self) -> tuple[str, str]:
        problems, summaries = [], []
        for name, config in self.stacks.items():
            stack_problems, summary = check_stack(name, config)
            problems += stack_problems
            summaries.append(summary)
        if problems:
            raise StepFailed("\n".join(problems))
        return "passed", "\n".join(summaries)

    def report(self) -> str:
        lines = [f"tap-template verification of {self.project}"]
        for step in self.steps:
            first, *more = step.detail.splitlines() or [""]
            lines.append(f"  {step.name:<12} {step.status:<8} {step.seconds:6.1f} s  {first}")
            lines += [f"{'':33}{line}" for line in more]
        lines.append(f"  {'total':<12} {'':<8} {sum(step.seconds for step in self.steps):6.1f} s")
        failed = [step for step in self.steps if step.status == "failed"]
        if failed and failed[0].log:
            tail = failed[0].log.rstrip().splitlines()[-LOG_TAIL_LINES:]
            lines += ["", f"last lines of the {failed[0].name} output:", *[f"  | {line}" for line in tail]]
        return "\n".join(lines)


def require(tool: str) -> None:
    if shutil.which(tool) is None:
        raise StepFailed(f"{tool} is not on PATH: {INSTALL_HINTS[tool]}")


def run(argv: list[str], cwd: Path, extra_environment: dict[str, str], failure: str) -> None:
    try:
        process = subprocess.run(
            argv,
            cwd=cwd,
            env={**os.environ, **extra_environment},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            check=False,
        )
    except FileNotFoundError as error:
        raise StepFailed(f"{failure}: {error.filename} not found") from None
    if process.returncode != 0:
        raise StepFailed(f"{failure} (exit status {process.returncode})", process.stdout)


def keep_copy(project: Path) -> Path:
    """A copy of the project that outlives copier's clean-up of a failed copy."""
    keep = Path(tempfile.mkdtemp(prefix=f"{project.name}-failed-verification-"))
    shutil.copytree(project, keep, dirs_exist_ok=True, ignore=shutil.ignore_patterns("cdktf.out"))
    return keep


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--project", type=Path, default=Path.cwd(), help="the generated project (default: .)")
    parser.add_argument(
        "--project-removed-on-failure",
        choices=["true", "false"],
        default="false",
        help="copier deletes the project when this task fails (a copy without --no-cleanup)",
    )
    args = parser.parse_args(argv)

    verification = Verification(args.project.resolve(), os.environ.get(PYTHON_VARIABLE) or None)
    passed = verification.run()
    print(verification.report())
    if passed:
        return 0
    if args.project_removed_on_failure == "true":
        print(
            f"\nThe project did not pass verification. Copier now removes {verification.project};"
            f" the generated files are kept in {keep_copy(verification.project)} for you to inspect"
            " (`copier copy --no-cleanup` keeps them in place)."
        )
    else:
        print(f"\nThe project did not pass verification; its files stay in {verification.project} for you to inspect.")
    print("`copier copy --skip-tasks` generates a project without verifying it.")
    return 1
