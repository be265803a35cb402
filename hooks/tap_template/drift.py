"""Drift: what was changed or deleted outside Terraform in a deployed stack.

A refresh-only plan compares the real infrastructure with the state, not with the code:
a normal plan from a scheduled run would also report what the synth changes (the Author
tag is whoever runs it). The summary names the resources and the change, never a value:
plans hold secrets. Exit status: 0 no drift, 2 drift, 1 terraform failed.
"""

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path

from tap_template.project import Failed, Skipped
from tap_template.terraform import INSTALL_HINT, cli_environment, first_error, terraform_run

NO_DRIFT, DRIFT, ERROR = 0, 2, 1
# A refresh-only plan's resource_drift actions, as the summary says them.
CHANGES = {"update": "changed", "delete": "deleted"}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("stack", type=Path, help="the synthesized stack's folder, e.g. cdktf.out/stacks/TapStackprod")
    parser.add_argument("--summary", type=Path, help="write the markdown summary to this file")
    args = parser.parse_args(argv)
    try:
        drifted = drift(args.stack)
    except (Failed, Skipped) as error:
        print(f"drift: {error}", file=sys.stderr)
        if getattr(error, "log", ""):
            print(error.log[-4000:], file=sys.stderr)
        return ERROR
    text = summary(args.stack.name, drifted)
    print(text)
    if args.summary:
        args.summary.write_text(text)
    return DRIFT if drifted else NO_DRIFT


def drift(stack_dir: Path) -> list[tuple[str, str]]:
    """init, a refresh-only plan and its JSON in `stack_dir`: each drifted resource's address and change."""
    terraform = shutil.which("terraform")
    if terraform is None:
        raise Failed(f"terraform is not on PATH: {INSTALL_HINT}")
    with tempfile.TemporaryDirectory(prefix="tap-template-drift-") as scratch:
        environment = cli_environment(Path(scratch))
        plan_file = str(Path(scratch) / "drift.tfplan")  # it holds the state's secrets: deleted with scratch
        init = terraform_run([terraform, "init", "-input=false"], stack_dir, environment)
        if init.returncode != 0:
            raise Failed(f"terraform init failed in {stack_dir}: {first_error(init.stdout)}", init.stdout)
        plan = terraform_run(
            [terraform, "plan", "-refresh-only", "-detailed-exitcode", "-input=false", "-lock-timeout=20m"]
            + [f"-out={plan_file}"],
            stack_dir,
            environment,
        )
        if plan.returncode not in (0, 2):
            raise Failed(f"terraform plan -refresh-only failed in {stack_dir}: {first_error(plan.stdout)}", plan.stdout)
        if plan.returncode == 0:
            return []
        show = terraform_run([terraform, "show", "-json", plan_file], stack_dir, environment)
        if show.returncode != 0:
            raise Failed(f"terraform show failed in {stack_dir}: {first_error(show.stdout)}", show.stdout)
    return resource_drift(json.loads(show.stdout))


def resource_drift(plan: dict) -> list[tuple[str, str]]:
    """The drifted resources of a refresh-only plan (`terraform show -json`): (address, change).

    A change counts where it touches what the code sets (or the tags): a refresh after a
    deploy also finds attributes that other resources fill in (a route table's routes, a
    bucket's policy, an EIP's association), which are no drift. Changed outputs alone
    are none either: they follow a resource, or code not yet deployed."""
    configured = {
        resource["address"]: {*resource.get("expressions", {}), "tags_all"}
        for resource in plan.get("configuration", {}).get("root_module", {}).get("resources", [])
    }
    drifted = []
    for entry in plan.get("resource_drift", []):
        actions = entry["change"]["actions"]
        before, after = entry["change"]["before"] or {}, entry["change"]["after"] or {}
        relevant = configured.get(f"{entry['type']}.{entry['name']}", before.keys() | after.keys())
        if actions == ["update"] and all(before.get(key) == after.get(key) for key in relevant):
            continue
        drifted.append((entry["address"], " and ".join(CHANGES.get(action, action) for action in actions)))
    return drifted


def summary(stack: str, drifted: list[tuple[str, str]]) -> str:
    if not drifted:
        return f"No drift: the resources of {stack} match its state.\n"
    rows = "".join(f"| `{address}` | {change} |\n" for address, change in drifted)
    count = f"{len(drifted)} resource{'s' if len(drifted) > 1 else ''}"
    return (
        f"{count} of {stack} changed or deleted outside Terraform (a refresh-only plan):\n\n"
        f"| Resource | Change |\n| --- | --- |\n{rows}\n"
        f"The values are left out. `terraform plan -refresh-only` in {stack}'s folder shows them; "
        "`terraform apply -refresh-only` accepts the changes into the state, a deploy reverts them.\n"
    )
