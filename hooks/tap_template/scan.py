"""Security scan of the synthesized stacks: checkov, under the project's .checkov.yaml.

Every check the project skips must give its reason in .checkov.yaml (a comment after the
check id); a failed check, a skip without a reason or a stack checkov cannot parse fails
the scan. Without checkov on PATH the scan is skipped and the report says how to get it.
"""

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

from tap_template.project import Failed, Skipped

CONFIG_FILE = ".checkov.yaml"
INSTALL_HINT = "install checkov from PyPI in a separate environment (`pipx install checkov`)"
TIMEOUT_SECONDS = 300
SKIP_LINE = re.compile(r"^\s*-\s*(?P<check>CKV2?_[A-Z0-9]+_\d+)\s*(?:#\s*(?P<reason>.*))?$")
SHOWN_FAILURES = 20


def scan(project: Path, stacks: dict[str, tuple[dict, Path]]) -> str:
    """checkov on each stack's cdk.tf.json; a report line, or Failed with the failed checks."""
    checkov = shutil.which("checkov")
    if checkov is None:
        raise Skipped(f"checkov is not on PATH: {INSTALL_HINT}")
    config = project / CONFIG_FILE
    skipped = skip_list(config)
    counts, failures, version = [], [], "?"
    for name, (_, folder) in stacks.items():
        report = run_checkov(checkov, folder / "cdk.tf.json", config)
        summary = report["summary"]
        version = summary.get("checkov_version", version)
        if summary["parsing_errors"]:
            raise Failed(f"checkov could not parse {folder / 'cdk.tf.json'}")
        failures += [
            f"{check['check_id']} at {name} {check['resource']}: {check['check_name']}"
            for check in report["results"]["failed_checks"]
        ]
        counts.append(f"{name}: {summary['passed']} passed")
    if failures:
        shown = "\n".join(failures[:SHOWN_FAILURES])
        more = f"\n... and {len(failures) - SHOWN_FAILURES} more" if len(failures) > SHOWN_FAILURES else ""
        raise Failed(
            f"checkov: {len(failures)} failed checks (fix the resource, or skip the check in {CONFIG_FILE} "
            f"with its reason)\n{shown}{more}"
        )
    if skipped:
        skips = f"{len(skipped)} check{'s' * (len(skipped) != 1)} skipped with their reasons in {CONFIG_FILE}"
    else:
        skips = f"no check skipped in {CONFIG_FILE}" if config.exists() else f"no {CONFIG_FILE}"
    return f"checkov {version}: passed ({'; '.join(counts)}; {skips})"


def skip_list(config: Path) -> dict[str, str]:
    """The checks .checkov.yaml skips, with their reasons; Failed when one has none."""
    if not config.exists():
        return {}
    skipped = {}
    for number, line in enumerate(config.read_text().splitlines(), start=1):
        if match := SKIP_LINE.match(line):
            if not (match["reason"] or "").strip():
                raise Failed(f"{CONFIG_FILE}:{number}: {match['check']} is skipped without a reason (`- ID  # why`)")
            skipped[match["check"]] = match["reason"].strip()
    return skipped


def run_checkov(checkov: str, stack_file: Path, config: Path) -> dict:
    """checkov's JSON report of one stack file."""
    arguments = [checkov, "-f", str(stack_file), "--framework", "terraform_json", "--output", "json", "--quiet"]
    if config.exists():
        arguments += ["--config-file", str(config)]
    # BC_SKIP_MAPPING: no download of Prisma Cloud's guideline links (offline machines).
    environment = {**os.environ, "BC_SKIP_MAPPING": "TRUE"}
    try:
        result = subprocess.run(
            arguments, env=environment, capture_output=True, text=True, timeout=TIMEOUT_SECONDS, check=False
        )
    except subprocess.TimeoutExpired:
        raise Failed(f"checkov took over {TIMEOUT_SECONDS} s on {stack_file}") from None
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        raise Failed(f"checkov failed on {stack_file} (exit {result.returncode})", result.stderr) from None
    # One report per framework; only terraform_json is asked for.
    return report[0] if isinstance(report, list) else report
