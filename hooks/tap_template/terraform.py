"""`terraform validate` of the synthesized stacks: Terraform's own word on what the synth wrote.

The providers come from the registry, from the CLI configuration in TF_CLI_CONFIG_FILE,
or from a filesystem mirror named by TAP_TEMPLATE_PROVIDER_MIRROR (the folder that holds
registry.terraform.io/). When Terraform or a provider cannot be had, validation is
skipped and the report says why: it never passes silently.
"""

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from tap_template.project import Failed, Skipped

MIRROR_VARIABLE = "TAP_TEMPLATE_PROVIDER_MIRROR"
INSTALL_HINT = "install Terraform 1.10 or newer (https://developer.hashicorp.com/terraform/install)"
TIMEOUT_SECONDS = 300
# What terraform init says when it cannot get a provider: offline, or no such version.
PROVIDER_UNAVAILABLE = (
    "Failed to query available provider packages",
    "Failed to install provider",
    "could not connect to",
)


def validate(stacks: dict[str, tuple[dict, Path]]) -> str:
    """Run terraform init (no backend) and validate in each stack's folder; a report line."""
    terraform = shutil.which("terraform")
    if terraform is None:
        raise Skipped(f"terraform is not on PATH: {INSTALL_HINT}")
    with tempfile.TemporaryDirectory(prefix="tap-template-terraform-") as scratch:
        environment = cli_environment(Path(scratch))
        for name, (stack, stack_dir) in stacks.items():
            init = terraform_run([terraform, "init", "-backend=false", "-input=false"], stack_dir, environment)
            if init.returncode != 0 and any(words in init.stdout for words in PROVIDER_UNAVAILABLE):
                raise Skipped(
                    f"terraform init could not install {providers(stack)} for {name}: {first_error(init.stdout)} "
                    f"(set {MIRROR_VARIABLE} to a provider mirror, or TF_CLI_CONFIG_FILE to a CLI configuration)"
                )
            if init.returncode != 0:
                raise Failed(f"terraform init failed in {stack_dir}: {first_error(init.stdout)}", init.stdout)
            result = terraform_run([terraform, "validate"], stack_dir, environment)
            if result.returncode != 0:
                raise Failed(f"terraform validate failed for {name}: {first_error(result.stdout)}", result.stdout)
    installed = ", ".join(sorted({providers(stack) for stack, _ in stacks.values()}))
    return f"terraform validate: passed ({', '.join(stacks)}; Terraform {version(terraform)}, {installed})"


def cli_environment(scratch: Path) -> dict[str, str]:
    """The environment for terraform: quiet, and with the mirror's CLI configuration when one is named."""
    environment = {**os.environ, "TF_IN_AUTOMATION": "1", "CHECKPOINT_DISABLE": "1"}
    mirror = os.environ.get(MIRROR_VARIABLE)
    if not mirror:
        return environment
    if not (Path(mirror) / "registry.terraform.io").is_dir():
        raise Skipped(f"{MIRROR_VARIABLE}={mirror} is not a provider mirror: it holds no registry.terraform.io/ folder")
    configuration = scratch / "terraform.rc"
    configuration.write_text(
        f"provider_installation {{\n  filesystem_mirror {{\n    path = {json.dumps(mirror)}\n  }}\n}}\n"
    )
    return {**environment, "TF_CLI_CONFIG_FILE": str(configuration)}


def terraform_run(argv: list[str], cwd: Path, environment: dict[str, str]) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(
            [*argv, "-no-color"],
            cwd=cwd,
            env=environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            timeout=TIMEOUT_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise Skipped(f"`{' '.join(argv[1:])}` took over {TIMEOUT_SECONDS} s (a registry out of reach?)") from None


def providers(stack: dict) -> str:
    """The providers a stack requires, e.g. "hashicorp/aws 5.100.0"."""
    required = stack.get("terraform", {}).get("required_providers", {})
    return ", ".join(f"{spec.get('source', name)} {spec.get('version', '')}".strip() for name, spec in required.items())


def first_error(output: str) -> str:
    """Terraform's first error: its title and the paragraph that explains it, on one line."""
    lines = [line.strip(" │╷╵") for line in output.splitlines()]
    start = next((index for index, line in enumerate(lines) if line.startswith("Error: ")), None)
    if start is None:
        return next((line for line in reversed(lines) if line), "no output")
    title = lines[start].removeprefix("Error: ")
    paragraph = []
    for line in lines[start + 2 :]:  # a blank line follows the title
        if not line:
            break
        paragraph.append(line)
    return f"{title}: {' '.join(paragraph)}" if paragraph else title


def version(terraform: str) -> str:
    result = subprocess.run([terraform, "version", "-json"], capture_output=True, text=True, check=False)
    try:
        return json.loads(result.stdout)["terraform_version"]
    except (json.JSONDecodeError, KeyError):
        return "(unknown version)"
