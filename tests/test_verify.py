"""The verification hook as a user meets it: missing tools, failing steps, and what is kept."""

import json
import os
import re
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest
from copier.errors import TaskError

from rendering import TEMPLATE, provider_mirror, render
from tap_template.project import Failed, Skipped
from tap_template.scan import CONFIG_FILE, scan
from tap_template.terraform import MIRROR_VARIABLE, validate

HOOK = TEMPLATE / "hooks" / "post_copy.py"


def verify(project: Path, *arguments: str, path: str | None = None, python: str | None = None):
    environment = {**os.environ, "PATH": os.environ["PATH"] if path is None else path}
    environment.pop("TAP_TEMPLATE_PYTHON", None)
    if python:
        environment["TAP_TEMPLATE_PYTHON"] = python
    return subprocess.run(
        [sys.executable, str(HOOK), *arguments], cwd=project, env=environment, capture_output=True, text=True
    )


@pytest.fixture
def project(tmp_path):
    return render(tmp_path / "project")


@pytest.fixture(scope="module")
def python_without_cdktf(tmp_path_factory) -> str:
    """An interpreter with none of a project's dependencies (the test runner's has cdktf:
    tap-doctor reads the bindings installed beside it)."""
    home = tmp_path_factory.mktemp("python-without-cdktf")
    venv.create(home, with_pip=False)
    return str(home / "bin" / "python")


def test_missing_node_says_what_to_install(project):
    result = verify(project, path="")
    assert result.returncode == 1
    assert "environment  failed" in result.stdout
    assert "node is not on PATH: synth runs the CDKTF core in Node.js: install Node.js" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


@pytest.mark.parametrize("manager", ["pipenv", "uv"])
def test_missing_package_manager_says_what_to_install(manager, tmp_path):
    project = render(tmp_path / "project", {"package_manager": manager})
    only_node = tmp_path / "bin"
    only_node.mkdir()
    (only_node / "node").symlink_to(shutil.which("node"))
    result = verify(project, path=str(only_node))
    assert result.returncode == 1
    assert f"{manager} is not on PATH: the project's environment is managed by {manager}" in result.stdout
    assert f"pip install --user {manager}" in result.stdout
    assert f"`{'uv run poe' if manager == 'uv' else 'pipenv run'} verify` in the project runs" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_inconsistent_sources_fail_before_anything_is_installed(project):
    tap = project / "tap.py"
    tap.write_text(tap.read_text().replace("        default_tags=default_tags(suffix),\n", ""))
    result = verify(project)
    assert result.returncode == 1
    assert re.search(
        r"sources +failed .* error stack-call at tap\.py:\d+: the TapStack call does not pass default_tags",
        result.stdout,
    )
    assert "environment" not in result.stdout
    assert f"its files stay in {project}" in result.stdout


def test_failing_synth_shows_the_end_of_its_output(project, python_without_cdktf):
    # Without cdktf, the app fails at its first import.
    result = verify(project, python=python_without_cdktf)
    assert result.returncode == 1
    assert re.search(r"synth +failed .*tap\.py\) failed \(exit status 1\)", result.stdout)
    assert "last lines of the synth output:" in result.stdout
    assert "ModuleNotFoundError: No module named 'cdktf'" in result.stdout


def test_failed_copy_keeps_the_generated_files_where_the_user_is_told(tmp_path, capfd, python_without_cdktf):
    destination = tmp_path / "project"
    with pytest.raises(TaskError):
        render(destination, verify=True, python=python_without_cdktf)
    output = capfd.readouterr().out
    kept = Path(re.search(r"the generated files are kept in (\S+) for you to inspect", output)[1])
    assert not destination.exists()  # copier's clean-up after a failed task
    assert (kept / "tap.py").is_file() and (kept / "lib" / "tap_stack.py").is_file()
    assert "--no-cleanup" in output
    shutil.rmtree(kept)


def stack_folder(tmp_path: Path, resources: dict) -> dict[str, tuple[dict, Path]]:
    """A synthesized stack as validate() takes it: provider 5 (the one a mirror here holds)."""
    stack = {
        "terraform": {"required_providers": {"aws": {"source": "aws", "version": "5.100.0"}}},
        "provider": {"aws": [{"region": "us-east-1"}]},
        "resource": resources,
    }
    folder = tmp_path / "stacks" / "TapStacktest"
    folder.mkdir(parents=True)
    (folder / "cdk.tf.json").write_text(json.dumps(stack))
    return {"TapStacktest": (stack, folder)}


def test_validation_without_terraform_is_skipped_with_what_to_install(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", "")
    with pytest.raises(Skipped, match=r"terraform is not on PATH: install Terraform 1\.10 or newer"):
        validate(stack_folder(tmp_path, {}))


def test_a_mirror_without_providers_is_named_in_the_reason_it_was_skipped(tmp_path, monkeypatch):
    if shutil.which("terraform") is None:
        pytest.skip("terraform is not on PATH")
    monkeypatch.setenv(MIRROR_VARIABLE, str(tmp_path))
    with pytest.raises(Skipped, match=f"{MIRROR_VARIABLE}=.* is not a provider mirror"):
        validate(stack_folder(tmp_path, {}))


def test_terraform_refuses_a_stack_it_cannot_apply(tmp_path, monkeypatch):
    if shutil.which("terraform") is None or provider_mirror() is None:
        pytest.skip("needs terraform and a provider mirror with hashicorp/aws 5.100.0")
    monkeypatch.setenv(MIRROR_VARIABLE, provider_mirror())
    bucket = {"aws_s3_bucket": {"logs": {"bucket": "logs-test", "no_such_argument": True}}}
    with pytest.raises(Failed, match="terraform validate failed for TapStacktest: Extraneous JSON object property"):
        validate(stack_folder(tmp_path, bucket))
    valid = {"aws_s3_bucket": {"logs": {"bucket": "logs-test"}}}
    assert "terraform validate: passed (TapStacktest; Terraform" in validate(stack_folder(tmp_path / "valid", valid))


BARE_BUCKET = {"aws_s3_bucket": {"logs": {"bucket": "logs-test"}}}


def test_security_scan_without_checkov_is_skipped_with_what_to_install(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", "")
    with pytest.raises(Skipped, match=r"checkov is not on PATH: install checkov from PyPI"):
        scan(tmp_path, stack_folder(tmp_path, BARE_BUCKET))


def test_security_scan_names_each_failed_check_and_passes_once_it_is_skipped_with_a_reason(tmp_path):
    stacks = stack_folder(tmp_path, BARE_BUCKET)
    with pytest.raises(Failed, match=r"checkov: \d+ failed checks") as failure:
        scan(tmp_path, stacks)
    failed = re.findall(r"^(CKV2?_AWS_\d+) at TapStacktest ", str(failure.value), re.MULTILINE)
    assert "CKV_AWS_18" in failed  # access logging

    skips = "".join(f"  - {check}  # the test's bucket holds nothing\n" for check in failed)
    (tmp_path / CONFIG_FILE).write_text(f"skip-check:\n{skips}")
    passed = scan(tmp_path, stacks)
    assert re.search(rf"TapStacktest: \d+ passed; {len(set(failed))} checks skipped with their reasons", passed)


def test_a_skipped_check_without_a_reason_fails_the_scan(tmp_path):
    (tmp_path / CONFIG_FILE).write_text("skip-check:\n  - CKV_AWS_18  # no log bucket here\n  - CKV_AWS_144\n")
    with pytest.raises(Failed, match=rf"{CONFIG_FILE}:3: CKV_AWS_144 is skipped without a reason"):
        scan(tmp_path, stack_folder(tmp_path, BARE_BUCKET))
