"""tap-doctor: checks a CDKTF Python project for the failures of the analyses.

    tap-doctor PATH [--format table|json] [--no-synth | --synthesized]

Exit status: 0 without error-level findings, 1 with them, 2 when PATH is not a
project it can check. docs/failure-catalogue.md lists the rules.
"""

import argparse
import json
import os
import sys
from pathlib import Path

from tap_template.findings import ERROR, RULES, Finding, Settings, SettingsError, finding
from tap_template.sources import check_sources, load_cdktf_json, python_files
from tap_template.stacks import check_stack
from tap_template.synth import PYTHON_VARIABLE, Failed, app_command, synthesize, synthesized_stacks

NOT_A_PROJECT = 2


class NotAProject(Exception):
    """The folder cannot be checked; the message says why."""


def check_stacks(stacks: dict[str, tuple[dict, Path]], settings: Settings) -> list[Finding]:
    """The stack rules' findings on stacks already synthesized."""
    return [found for name, (stack, folder) in stacks.items() for found in check_stack(name, stack, folder, settings)]


def diagnose(project: Path, *, synth: bool = True, synthesized: bool = False) -> list[Finding]:
    """The findings on the project at `project`, as its settings level them: the stack rules
    on a new synth, or with `synthesized` on the last one (a pipeline's), or none without `synth`."""
    if not project.is_dir():
        raise NotAProject(f"{project} is not a folder")
    if not (project / "cdktf.json").is_file() and not any(
        "cdktf" in path.read_text(errors="replace") for path in python_files(project)
    ):
        raise NotAProject(f"{project} is not a CDKTF Python project: no cdktf.json, and no Python file uses cdktf")
    try:
        settings = Settings.load(project)
    except SettingsError as error:
        raise NotAProject(str(error)) from None

    findings = check_sources(project)
    config = load_cdktf_json(project)
    if synthesized:
        try:
            findings += check_stacks(synthesized_stacks(project), settings)
        except Failed as failure:
            findings.append(finding("synth", str(failure), "cdktf.out", "synthesize first, then run again"))
    elif synth and isinstance(config, dict) and isinstance(config.get("app"), str):
        try:
            stacks = synthesize(project, app_command(config["app"], os.environ.get(PYTHON_VARIABLE) or None))
        except Failed as failure:
            tail = "\n".join(failure.log.rstrip().splitlines()[-15:])
            message = f"{failure}\n{tail}".rstrip()
            findings.append(finding("synth", message, "cdktf.json: app", "fix the error above, then run again"))
        else:
            findings += check_stacks(stacks, settings)
    return settings.apply(findings)


def table(findings: list[Finding]) -> str:
    if not findings:
        return "tap-doctor: no findings"
    lines = []
    for found in sorted(findings, key=lambda found: (found.severity != ERROR, found.rule, found.location)):
        message, *more = found.message.splitlines()
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
    parser.add_argument("--list-rules", action="store_true", help="print the rules and exit")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    if args.list_rules:
        for rule in RULES.values():
            print(f"{rule.id:<20} {rule.severity:<8} {rule.failures:<13} {rule.summary}")
        return 0
    try:
        findings = diagnose(args.path.resolve(), synth=not args.no_synth, synthesized=args.synthesized)
    except NotAProject as error:
        print(f"tap-doctor: {error}", file=sys.stderr)
        return NOT_A_PROJECT
    print(json.dumps([found.as_dict() for found in findings], indent=2) if args.format == "json" else table(findings))
    return 1 if any(found.severity == ERROR for found in findings) else 0
