"""tools/drift.py where terraform fails. Its plans, with and without drift, are read in
test_local_deploy.py (a deployed project), and the workflow that runs it in test_pipeline.py."""

import shutil

import pytest

from tap_template import drift


@pytest.mark.skipif(shutil.which("terraform") is None, reason="needs terraform on PATH")
def test_a_failed_plan_is_an_error_not_drift_and_writes_no_summary(tmp_path, capsys):
    (tmp_path / "stack").mkdir()  # no configuration: init passes, the plan fails
    assert drift.main([str(tmp_path / "stack"), "--summary", str(tmp_path / "drift.md")]) == drift.ERROR
    assert not (tmp_path / "drift.md").exists()
    assert "terraform plan -refresh-only failed" in capsys.readouterr().err
