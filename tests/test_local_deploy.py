"""Local deploy as a generated project's engineer runs it: local-up, local-test, local-down against moto.

The project is the matrix's default answers on provider 5 (the provider a local mirror
holds here); its deploy reads the synth the verification made (--no-synth).
"""

import os
import shutil
import subprocess
import urllib.request

import pytest

from rendering import pipfile_script, provider_mirror
from tap_template.terraform import MIRROR_VARIABLE
from tap_template.verify import PYTHON_VARIABLE

CASE = "defaults-provider-5"


def run_script(case, script: str, *arguments: str) -> subprocess.CompletedProcess:
    environment = {**os.environ, PYTHON_VARIABLE: case.python}
    if provider_mirror():
        environment[MIRROR_VARIABLE] = provider_mirror()
    command = [*pipfile_script(case.project, script, case.python), *arguments]
    return subprocess.run(command, cwd=case.project, env=environment, capture_output=True, text=True, check=False)


@pytest.mark.xdist_group(CASE)
def test_default_project_deploys_to_the_emulator_passes_its_integration_tests_and_is_destroyed(generated):
    if shutil.which("terraform") is None:
        pytest.skip("terraform is not on PATH")
    case = generated(CASE)
    up = run_script(case, "local-up", "--no-synth")
    assert up.returncode == 0, up.stdout + up.stderr
    endpoint = (case.project / ".local-aws" / "endpoint").read_text()
    outputs = (case.project / "cfn-outputs" / "flat-outputs.json").read_text()
    assert "vpc_id" in outputs and "bucket_name" in outputs
    assert (case.project / "cdktf.out" / "stacks" / "TapStackdev" / "local_override.tf.json").is_file()

    tested = run_script(case, "local-test")
    assert tested.returncode == 0, tested.stdout + tested.stderr
    assert "3 passed" in tested.stdout and "skipped" not in tested.stdout

    down = run_script(case, "local-down", "--no-synth")
    assert down.returncode == 0, down.stdout + down.stderr
    assert not (case.project / ".local-aws").exists()
    assert not (case.project / "cfn-outputs" / "flat-outputs.json").exists()
    with pytest.raises(OSError):  # the emulator is stopped
        urllib.request.urlopen(f"{endpoint}/moto-api/", timeout=2)
