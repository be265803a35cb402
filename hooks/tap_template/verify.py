"""Verification of a generated project: tap-doctor on the sources, environment, one synth,
tap-doctor on the synthesized stacks, terraform validate, checkov's security scan.

Copier runs it after `copy` (a task) and after `update` (a migration that runs once
the project's own edits are re-applied): hooks/post_copy.py. It prints a report of what
it verified, how long each step took and what it skipped, and exits 1 when a step fails.
Set TAP_TEMPLATE_PYTHON to an interpreter that has the project's dependencies to use it
instead of `pipenv install` (or `uv sync`), and TAP_TEMPLATE_PROVIDER_MIRROR to a Terraform provider
mirror for `terraform validate` (tap_template/terraform.py).
"""

import argparse
import os
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from tap_template.doctor import check_sources, check_stacks, load_settings
from tap_template.findings import ERROR, Finding, Settings
from tap_template.project import Failed, NotAProject, Project, Skipped
from tap_template.scan import scan
from tap_template.stacks import describe
from tap_template.synth import PYTHON_VARIABLE, project_app, run, synthesize
from tap_template.terraform import validate

NODE_HINT = (
    "synth runs the CDKTF core in Node.js: install Node.js 20 or newer (https://nodejs.org/, "
    "or your system's nodejs package)"
)
LOG_TAIL_LINES = 40


@dataclass
class Step:
    name: str
    status: str  # passed, failed or skipped
    detail: str
    seconds: float
    log: str = ""


class Verification:
    def __init__(self, project: Path, python: str | None) -> None:
        self.project = Project(project)
        self.python = python
        self.steps: list[Step] = []
        self.settings = Settings()
        self.app = ""  # cdktf.json's app, as the synth runs it
        self.stacks: dict[str, tuple[dict, Path]] = {}

    def run(self) -> bool:
        """Run the steps in order, stopping at the first failure; True when all passed."""
        for name, step in (
            ("sources", self.check_sources),
            ("environment", self.prepare_environment),
            ("synth", self.synthesize),
            ("stacks", self.check_stacks),
            ("terraform", self.validate),
            ("security", self.scan),
        ):
            started = time.monotonic()
            try:
                status, detail = step()
                self.steps.append(Step(name, status, detail, time.monotonic() - started))
            except Failed as failure:
                self.steps.append(Step(name, "failed", str(failure), time.monotonic() - started, failure.log))
                return False
        return True

    def check_sources(self) -> tuple[str, str]:
        try:
            self.settings = load_settings(self.project)
        except NotAProject as error:
            raise Failed(str(error)) from None
        # Before the install: the synth is what checks the bindings where they are not there yet.
        passed = judge(check_sources(self.project, self.settings, synth_follows=True), "tap-doctor on the sources")
        self.app = project_app(self.project.path, self.python)
        return "passed", passed

    def prepare_environment(self) -> tuple[str, str]:
        require("node", NODE_HINT)
        if missing := self.project.packages_left_in_the_pipfile():
            raise Failed(
                "pyproject.toml lacks packages that the Pipfile of the last commit listed (this update "
                f"moved the project to uv and removed the Pipfile): add them with {'; '.join(missing)}"
            )
        if self.python:
            return "skipped", f"no install: {PYTHON_VARIABLE}={self.python} has the dependencies"
        manager = self.project.package_manager
        require(manager.name, f"the project's environment is managed by {manager.name}: {manager.install_hint}")
        install = " ".join(manager.install)
        run(list(manager.install), self.project.path, {}, f"{install} failed")
        return "passed", install

    def synthesize(self) -> tuple[str, str]:
        self.stacks = synthesize(self.project.path, self.app)
        return "passed", f"{self.app}: {', '.join(self.stacks)}"

    def check_stacks(self) -> tuple[str, str]:
        verdict = judge(check_stacks(self.stacks, self.settings), "tap-doctor on the stacks")
        return "passed", "\n".join([*(describe(name, stack) for name, (stack, _) in self.stacks.items()), verdict])

    def validate(self) -> tuple[str, str]:
        try:
            return "passed", validate(self.stacks)
        except Skipped as reason:
            return "skipped", f"terraform validate: skipped, {reason}"

    def scan(self) -> tuple[str, str]:
        try:
            return "passed", scan(self.project.path, self.stacks)
        except Skipped as reason:
            return "skipped", f"security scan: skipped, {reason}"

    def report(self) -> str:
        lines = [f"tap-template verification of {self.project.path}"]
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


def judge(findings: list[Finding], checked: str) -> str:
    """The findings as report lines; raises Failed when one is an error."""
    lines = [
        f"{found.severity} {found.rule} at {found.location}: {found.message} (fix: {found.hint})" for found in findings
    ]
    if any(found.severity == ERROR for found in findings):
        raise Failed("\n".join(lines))
    return "\n".join([f"{checked}: {len(findings) or 'no'} warnings", *lines])


def require(tool: str, hint: str) -> None:
    if shutil.which(tool) is None:
        raise Failed(f"{tool} is not on PATH: {hint}")


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
    project = verification.project
    if args.project_removed_on_failure == "true":
        print(
            f"\nThe project did not pass verification. Copier now removes {project.path};"
            f" the generated files are kept in {keep_copy(project.path)} for you to inspect"
            " (`copier copy --no-cleanup` keeps them in place)."
        )
    else:
        print(f"\nThe project did not pass verification; its files stay in {project.path} for you to inspect.")
    print(
        f"`{project.package_manager.run} verify` in the project runs this verification again;"
        " `copier copy --skip-tasks` copies without it."
    )
    return 1
