"""tap-doctor: checks a CDKTF Python project for the failures of the analyses.

    tap-doctor PATH [--format table|json] [--no-synth | --synthesized] [--synth-timeout S]

Exit status: 0 no error-level finding, 1 error-level findings, 2 PATH or its settings
cannot be checked (one line on standard error says which file and why), 3 an internal
error of tap-doctor (a bug: the message says where the details are). It writes nothing
into the project but cdktf.out/. docs/failure-catalogue.md lists the rules.
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import traceback
from pathlib import Path

from tap_template import sources
from tap_template.findings import ERROR, RULES, WARNING, Finding, Settings, finding
from tap_template.modules import source_files
from tap_template.project import PIPENV, UV, Failed, NotAProject, Project, SettingsError
from tap_template.stacks import check_stack
from tap_template.synth import PIPENV_ENVIRONMENT, PYTHON_VARIABLE, app_command, synthesize, synthesized_stacks
from tap_template.synth_errors import FIX_ABOVE, clean, explain

NO_ERRORS, ERRORS, NOT_CHECKABLE, INTERNAL_ERROR = 0, 1, 2, 3
SYNTH_TIMEOUT_SECONDS = 900
SYNTH_TAIL_LINES = 15  # of the app's output, in a failed synth's finding


def diagnose(
    path: Path, *, synth: bool = True, synthesized: bool = False, timeout: float = SYNTH_TIMEOUT_SECONDS
) -> list[Finding]:
    """The findings on the project at `path`, as its settings level them: the stack rules
    on a new synth, or with `synthesized` on the last one (a pipeline's), or none without `synth`."""
    if not path.is_dir():
        raise NotAProject(f"{path} is not a folder")
    if not (path / "cdktf.json").is_file() and not any(_uses_cdktf(source) for source in source_files(path)):
        raise NotAProject(f"{path} is not a CDKTF Python project: no cdktf.json, and no Python file uses cdktf")
    project = Project(path)
    settings = load_settings(project)
    findings = check_sources(project, settings)
    config = project.cdktf_json
    if synthesized:
        findings += check_last_synth(project, settings)
    elif synth and isinstance(config, dict) and isinstance(config.get("app"), str) and config["app"].strip():
        findings += synthesize_and_check(project, config["app"], settings, timeout)
    return findings


# The doctor's steps. The verification (tap_template.verify) runs load_settings, check_sources
# and check_stacks too; it synthesizes on its own (there a failed synth fails it, not a finding).


def load_settings(project: Project) -> Settings:
    """The project's settings; NotAProject says which file and why when they cannot be used."""
    try:
        return Settings.load(project.path)
    except SettingsError as error:
        raise NotAProject(str(error)) from None


def check_sources(project: Project, settings: Settings, synth_follows: bool = False) -> list[Finding]:
    """The source rules' findings, as the settings level them (sources.check_sources)."""
    return settings.apply(sources.check_sources(project, synth_follows))


def check_stacks(stacks: dict[str, tuple[dict, Path]], settings: Settings) -> list[Finding]:
    """The stack rules' findings on stacks already synthesized, as the settings level them."""
    return settings.apply(
        [found for name, (stack, folder) in stacks.items() for found in check_stack(name, stack, folder, settings)]
    )


def check_last_synth(project: Project, settings: Settings) -> list[Finding]:
    """The stack rules on the last synth's stacks (a pipeline's), in the output folder."""
    try:
        stacks = synthesized_stacks(project.path)
    except Failed as failure:
        return settings.apply([finding("synth", str(failure), "cdktf.out", "synthesize first, then run again")])
    return check_stacks(stacks, settings)


def synthesize_and_check(project: Project, app: str, settings: Settings, timeout: float) -> list[Finding]:
    """One synth of the app, as `cdktf synth` runs it, and the stack rules on it."""
    python = os.environ.get(PYTHON_VARIABLE) or None
    location = "cdktf.json: app"
    if python is None and (missing := missing_environment(project.path, app)):
        return settings.apply(
            [Finding("synth", WARNING, f"not synthesized: {missing}", location, "install it, then run again")]
        )
    try:
        command = app_command(app, python)
    except Failed as failure:  # the doctor's environment, not the project, is wrong
        raise NotAProject(str(failure)) from None
    try:
        stacks = synthesize(project.path, command, timeout)
    except Failed as failure:
        return settings.apply([synth_failure(project.path, failure, location)])
    return check_stacks(stacks, settings)


def synth_failure(project: Path, failure: Failed, location: str) -> Finding:
    """A failed synth: what the app's output ends with in the user's terms (the call, the
    argument and its shape, at the innermost line of the project's code), then the end of
    the output itself."""
    tail = "\n".join(clean(failure.log)[-SYNTH_TAIL_LINES:]).strip("\n")
    explained = explain(failure.log, project)
    if explained is None:
        return finding("synth", f"{failure}\n{tail}".rstrip(), location, FIX_ABOVE)
    message = f"{explained.summary}\n{failure}\n{tail}".rstrip()
    return finding("synth", message, explained.location or location, explained.hint)


def missing_environment(project: Path, app: str) -> str | None:
    """Why the app's package manager would first write into the project (a Pipfile, a
    virtualenv, uv.lock) instead of running it; None when the environment is there."""
    words = app.split()
    if "pipenv" in words:
        if shutil.which("pipenv") is None:
            return f"the app runs pipenv, which is not on PATH ({PIPENV.install_hint})"
        if not (project / "Pipfile").is_file():
            return "the app runs `pipenv run`, but the project has no Pipfile (pipenv would create one)"
        if not _pipenv_has_environment(project):
            return "pipenv has no environment for this project yet: run `pipenv install --dev`"
    if "uv" in words:
        if shutil.which("uv") is None:
            return f"the app runs uv, which is not on PATH ({UV.install_hint})"
        if not (project / ".venv").is_dir() or not (project / "uv.lock").is_file():
            return "the project has no .venv or uv.lock yet (uv run would write them): run `uv sync`"
    return None


def _pipenv_has_environment(project: Path) -> bool:
    environment = {**os.environ, **PIPENV_ENVIRONMENT}
    result = subprocess.run(["pipenv", "--venv"], cwd=project, capture_output=True, env=environment, check=False)
    return result.returncode == 0


def _uses_cdktf(path: Path) -> bool:
    try:
        return b"cdktf" in path.read_bytes()
    except OSError:
        return False


def sort_key(found: Finding) -> tuple:
    """Errors first, then by rule, file and line (a number: line 44 before line 129)."""
    location = re.split(r"([0-9]+)", found.location)
    return found.severity != ERROR, found.rule, [int(part) if part.isdecimal() else part for part in location]


def table(findings: list[Finding]) -> str:
    if not findings:
        return "tap-doctor: no findings"
    lines = []
    for found in findings:
        message, *more = found.message.splitlines() or [""]
        lines.append(f"{found.severity:<8} {found.rule:<20} {found.location}")
        lines += [f"{'':9}{message}", *[f"{'':11}{line}" for line in more], f"{'':9}fix: {found.hint}"]
    errors = sum(found.severity == ERROR for found in findings)
    lines.append(f"tap-doctor: {errors} errors, {len(findings) - errors} warnings")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="tap-doctor", description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path, nargs="?", default=Path("."), help="the project folder (default: .)")
    parser.add_argument("--format", choices=["table", "json"], default="table")
    when = parser.add_mutually_exclusive_group()
    when.add_argument("--no-synth", action="store_true", help="only the rules that need no synth")
    when.add_argument("--synthesized", action="store_true", help="check the stacks in cdktf.out; do not synthesize")
    parser.add_argument(
        "--synth-timeout",
        type=float,
        default=SYNTH_TIMEOUT_SECONDS,
        metavar="SECONDS",
        help=f"stop an app that has not synthesized after this long (default: {SYNTH_TIMEOUT_SECONDS})",
    )
    parser.add_argument("--list-rules", action="store_true", help="print the rules and exit")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    if args.synth_timeout <= 0:
        parser.error("--synth-timeout must be a positive number of seconds")
    # File names that are not valid UTF-8 are printed escaped, not as a UnicodeEncodeError.
    for stream in (sys.stdout, sys.stderr):
        stream.reconfigure(errors="backslashreplace")
    if args.list_rules:
        rules = RULES.values()
        write("\n".join(f"{rule.id:<20} {rule.severity:<8} {rule.failures:<13} {rule.summary}" for rule in rules))
        return NO_ERRORS
    try:
        findings = diagnose(
            args.path.resolve(), synth=not args.no_synth, synthesized=args.synthesized, timeout=args.synth_timeout
        )
    except NotAProject as error:
        print(f"tap-doctor: {error}", file=sys.stderr)
        return NOT_CHECKABLE
    except Exception as error:  # noqa: BLE001 - any other exception is a bug of the doctor's
        return internal_error(error)
    findings.sort(key=sort_key)
    write(json.dumps([found.as_dict() for found in findings], indent=2) if args.format == "json" else table(findings))
    return ERRORS if any(found.severity == ERROR for found in findings) else NO_ERRORS


def write(text: str) -> None:
    """Print to standard output; a reader that stops early (`| head`) ends it quietly."""
    try:
        print(text, flush=True)
    except BrokenPipeError:
        # Python flushes standard output again at exit: let that go nowhere.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def internal_error(error: Exception) -> int:
    """Say that tap-doctor failed (not the project), and where the details are."""
    with tempfile.NamedTemporaryFile("w", prefix="tap-doctor-", suffix=".log", delete=False) as log:
        traceback.print_exception(error, file=log)
    print(
        f"tap-doctor: internal error ({type(error).__name__}: {error}). This is a bug in tap-doctor, not a finding "
        f"on the project; the details are in {log.name}, please report them with the project that caused it.",
        file=sys.stderr,
    )
    return INTERNAL_ERROR
