"""tap-doctor: each rule flags its fixture projects and passes the variants that do it right.

A fixture variant (tests/doctoring.py says how they are built) named flagged* must get
findings of its rule only (the exact `flagged` one at the rule's own severity), warned*
only warnings of its rule, clean* nothing.
"""

import json
import os
import shutil
import subprocess
import sys
from importlib.metadata import entry_points

import pytest

from doctoring import COMMON, DOCTOR, DOCTOR_TIMEOUT_SECONDS, FIXTURES, doctor, files_in, findings_of, fixture_project
from tap_template.findings import ANALYSED_FAILURES, ERROR, RULES, WARNING
from tap_template.synth import PYTHON_VARIABLE

VARIANTS = sorted(
    (rule.name, variant.name)
    for rule in FIXTURES.iterdir()
    if rule.name != "base"
    for variant in rule.iterdir()
    if variant.is_dir() and variant.name != COMMON
)


def test_every_rule_has_a_flagged_and_a_clean_fixture():
    assert {rule for rule, variant in VARIANTS if variant == "flagged"} == set(RULES)
    assert {rule for rule, variant in VARIANTS if variant.startswith("clean")} == set(RULES)
    assert all(variant.startswith(("flagged", "warned", "clean")) for _, variant in VARIANTS)


def test_every_numbered_failure_of_the_analyses_is_a_rule_with_a_flagged_fixture():
    caught = {failure.strip() for rule in RULES.values() for failure in rule.failures.split(",")}
    analysed = {f"{analysis}-{number}" for analysis, numbers in ANALYSED_FAILURES.items() for number in numbers}
    assert analysed <= caught
    # ... and test_every_rule_has_a_flagged_and_a_clean_fixture gives each rule its flagged project.


def test_base_fixture_has_no_findings(tmp_path):
    assert findings_of(fixture_project(tmp_path, "base", "."))[1] == []


# The synth rule's fixtures fail as the user's code makes them: its finding's location,
# first line and fix. flagged-argument-shape is the suite's one real synth of cdktf (~20 s).
SYNTH_FINDINGS = {
    "flagged": (
        "broken_app.py:1",
        "broken_app.py:1 imports stacks.vpc_stack, but there is no module stacks (not installed, or not on the path)",
        "install it (the project's dependencies), or fix the import's path",
    ),
    "flagged-argument-shape": (
        "lib/constructs/network.py:10",
        "Vpc(...) at lib/constructs/network.py:10: enable_dns_hostnames takes a boolean (True or False),"
        " got the string 'true'",
        "pass True (a Python boolean), not the string 'true'",
    ),
}


@pytest.mark.parametrize(("rule", "variant"), [case for case in VARIANTS if case[1].startswith("flagged")])
def test_rule_flags_its_fixture(tmp_path, monkeypatch, rule, variant):
    project = fixture_project(tmp_path, rule, variant)
    # The synth rule's fixtures are apps that fail: each needs a synth of its own, with
    # this Python (it has cdktf) in place of the app's `python`.
    if rule == "synth":
        monkeypatch.setenv(PYTHON_VARIABLE, sys.executable)
    status, findings = findings_of(project, *(["--synth-timeout", "120"] if rule == "synth" else []))
    assert findings, f"{rule} found nothing in {variant}"
    assert {found["rule"] for found in findings} == {rule}
    assert all(set(found) == {"rule", "severity", "message", "location", "hint"} for found in findings)
    assert all(found["message"] and found["location"] and found["hint"] for found in findings)
    if variant == "flagged":
        assert RULES[rule].severity in {found["severity"] for found in findings}
    assert status == (1 if any(found["severity"] == ERROR for found in findings) else 0)
    if rule == "synth":
        [found] = findings
        assert (found["location"], found["message"].splitlines()[0], found["hint"]) == SYNTH_FINDINGS[variant]


# Its f-string is Python 3.12's syntax: only an older Python has a finding to give.
NEWER_SYNTAX = pytest.mark.skipif(sys.version_info >= (3, 12), reason="this Python reads the fixture's syntax")


@pytest.mark.parametrize(
    ("rule", "variant"),
    [
        pytest.param(*case, marks=[NEWER_SYNTAX] if "newer-python" in case[1] else [])
        for case in VARIANTS
        if case[1].startswith("warned")
    ],
)
def test_rule_warns_where_it_cannot_be_sure(tmp_path, rule, variant):
    status, findings = findings_of(fixture_project(tmp_path, rule, variant))
    assert findings and {(found["rule"], found["severity"]) for found in findings} == {(rule, WARNING)}
    assert status == 0


@pytest.mark.parametrize(("rule", "variant"), [case for case in VARIANTS if case[1].startswith("clean")])
def test_rule_passes_the_variant_that_does_it_right(tmp_path, rule, variant):
    assert findings_of(fixture_project(tmp_path, rule, variant)) == (0, [])


def test_framework_imports_reads_a_uv_project_s_dependencies(tmp_path):
    """A uv project lists its framework in pyproject.toml, not a Pipfile."""
    project = fixture_project(tmp_path, "base", ".")
    (project / "pyproject.toml").write_text(
        '[project]\nname = "demo"\nversion = "0.1.0"\ndependencies = ["cdktn==0.24.0", "cdktn-provider-aws==25.8.1"]\n'
    )
    status, findings = findings_of(project, "--no-synth")
    assert (status, {found["rule"] for found in findings}) == (1, {"framework-imports"})
    assert all("pyproject.toml installs it, not cdktf" in found["message"] for found in findings)


def test_rules_on_the_bindings_read_the_ones_the_app_runs_with_or_say_they_found_none(tmp_path):
    """The provider rules read the bindings the app runs with, and never guess without them:
    a doctor whose Python has no site-packages (-S) finds them through TAP_TEMPLATE_PYTHON,
    and without it says what it did not check."""
    project = fixture_project(tmp_path, "provider-import", "flagged")
    command = [sys.executable, "-S", str(DOCTOR), "--no-synth", "--format", "json", str(project)]
    alone = subprocess.run(command, capture_output=True, text=True, check=False, env={"PATH": os.environ["PATH"]})
    assert alone.returncode == 0, alone.stderr
    assert {
        (found["rule"], found["severity"], found["message"].split(" is not installed")[0])
        for found in json.loads(alone.stdout)
    } == {
        ("provider-import", WARNING, "not checked: cdktf"),
        ("provider-import", WARNING, "not checked: cdktf_cdktf_provider_aws"),
    }
    environment = {"PATH": os.environ["PATH"], PYTHON_VARIABLE: sys.executable}
    found = subprocess.run(command, capture_output=True, text=True, check=False, env=environment)
    assert found.returncode == 1, found.stderr
    (error,) = json.loads(found.stdout)
    assert error["rule"] == "provider-import" and f"({PYTHON_VARIABLE}'s environment)" in error["message"]


def test_table_names_the_rule_location_message_and_fix(tmp_path):
    result = doctor(fixture_project(tmp_path, "stack-call", "flagged"), "--synthesized")
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "error    stack-call           tap.py:9",
        "         the TapStack call passes aws_region, which TapStack.__init__ does not take",
        "         fix: make the call and the parameters of TapStack.__init__ in lib/tap_stack.py agree",
        "tap-doctor: 1 errors, 0 warnings",
    ]


def test_no_synth_runs_only_the_source_rules(tmp_path):
    project = fixture_project(tmp_path, "outputs", "flagged")
    shutil.rmtree(project / "cdktf.out")
    assert findings_of(project, "--no-synth") == (0, [])
    assert not (project / "cdktf.out").exists()


def test_synthesized_checks_the_last_synth_without_running_the_app(tmp_path):
    """A pipeline synthesizes once; the doctor reads that synth (cdktf.out)."""
    project = fixture_project(tmp_path, "outputs", "flagged")
    shutil.rmtree(project / "cdktf.out")
    assert findings_of(project, "--synthesized")[1][0]["hint"] == "synthesize first, then run again"
    (project / "cdktf.json").write_text(json.dumps({"language": "python", "app": "python synth_from_json.py"}))
    expected = findings_of(project, "--format", "json")  # synthesizes into cdktf.out
    (project / "synth_from_json.py").write_text("raise SystemExit('the app must not run')\n")
    assert findings_of(project, "--synthesized") == expected
    assert expected[1] and {found["rule"] for found in expected[1]} == {"outputs"}


def test_project_settings_disable_and_relevel_rules(tmp_path):
    project = fixture_project(tmp_path, "vpc-flow-logs", "flagged")
    settings = project / "pyproject.toml"
    settings.write_text('[tool.tap-doctor.severity]\nvpc-flow-logs = "error"\n')
    status, findings = findings_of(project)
    assert status == 1 and [found["severity"] for found in findings] == ["error"]
    settings.write_text('[tool.tap-doctor]\ndisable = ["vpc-flow-logs"]\n')
    assert findings_of(project) == (0, [])


def test_own_settings_file_wins_over_pyproject(tmp_path):
    project = fixture_project(tmp_path, "outputs", "flagged")
    (project / "pyproject.toml").write_text('[tool.tap-doctor]\ndisable = ["outputs"]\n')
    (project / ".tap-doctor.toml").write_text("disable = []\n")
    assert [found["rule"] for found in findings_of(project)[1]] == ["outputs"]


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ('disable = ["no-such-rule"]\n', "no tap-doctor rule 'no-such-rule'"),
        ('[severity]\noutputs = "fatal"\n', "severity of outputs must be 'error' or 'warning'"),
        ("disable = [\n", ".tap-doctor.toml is not valid TOML"),
        ("ignore = []\n", "unknown tap-doctor setting ignore"),
        ('[load]\npeak-requests-per-second = "lots"\n', "[load] peak-requests-per-second must be a positive number"),
    ],
)
def test_bad_settings_are_refused_naming_the_file(tmp_path, settings, message):
    project = fixture_project(tmp_path, "base", ".")
    (project / ".tap-doctor.toml").write_text(settings)
    result = doctor(project)
    assert result.returncode == 2
    assert message in result.stderr and ".tap-doctor.toml" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda folder: folder / "missing", "is not a folder"),
        (lambda folder: folder, "is not a CDKTF Python project"),
    ],
    ids=["missing", "empty"],
)
def test_what_is_not_a_project_exits_2_with_the_reason(tmp_path, make, message):
    result = doctor(make(tmp_path))
    assert result.returncode == 2
    assert message in result.stderr
    assert result.stdout == ""


def test_missing_cdktf_json_is_a_finding_not_a_refusal(tmp_path):
    """Analysis 003, failure 1: a CDKTF project without cdktf.json is checked, and told."""
    project = fixture_project(tmp_path, "base", ".")
    (project / "cdktf.json").unlink()
    status, findings = findings_of(project)
    assert status == 1
    assert [found["rule"] for found in findings] == ["cdktf-json"]
    assert findings[0]["message"] == "cdktf.json is missing, so `cdktf synth` says this is not a cdktf project"


@pytest.mark.parametrize("entry", ["aws@~> 6.0", "hashicorp/aws@6.25.0", {"name": "aws", "source": "hashicorp/aws"}])
def test_every_spelling_of_a_prebuilt_provider_is_caught(tmp_path, entry):
    project = fixture_project(tmp_path, "base", ".")
    config = json.loads((project / "cdktf.json").read_text())
    (project / "cdktf.json").write_text(json.dumps({**config, "terraformProviders": [entry]}))
    assert [(found["rule"], found["severity"]) for found in findings_of(project)[1]] == [("prebuilt-provider", WARNING)]


def test_rules_are_listed_with_severity_and_failures():
    result = subprocess.run([sys.executable, str(DOCTOR), "--list-rules"], capture_output=True, text=True, check=True)
    assert len(result.stdout.splitlines()) == len(RULES)
    assert "stack-call           error    001-1" in result.stdout


def test_a_reader_that_stops_early_gets_no_traceback():
    """`tap-doctor --list-rules | head -1`: the pipe closes before the doctor writes."""
    process = subprocess.Popen(
        [sys.executable, str(DOCTOR), "--list-rules"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    process.stdout.close()
    assert process.wait(timeout=DOCTOR_TIMEOUT_SECONDS) == 0
    assert process.stderr.read() == ""


def test_tap_doctor_is_a_console_script_of_the_package():
    (script,) = [point for point in entry_points(group="console_scripts") if point.name == "tap-doctor"]
    assert script.value == "tap_template.doctor:main"


def test_the_synth_runs_the_app_through_a_shell_and_writes_only_cdktf_out(tmp_path):
    """cdktf runs cdktf.json's app with a shell: `PYTHONPATH=. python3 app.py` is a valid app."""
    project = fixture_project(tmp_path)
    shutil.rmtree(project / "cdktf.out")
    (project / "cdktf.json").write_text(
        json.dumps({"language": "python", "app": f"PYTHONPATH=. {sys.executable} synth_from_json.py"})
    )
    before = files_in(project)
    assert findings_of(project, "--format", "json") == (0, [])
    after = {name: time for name, time in files_in(project).items() if not name.startswith("cdktf.out")}
    assert after == before  # no __pycache__, nothing else written


def test_an_app_that_hangs_is_stopped_with_everything_it_started(tmp_path):
    project = fixture_project(tmp_path)
    (project / "hang.py").write_text(
        "import subprocess, sys, time\n"
        "subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(600)'])\n"
        "time.sleep(600)\n"
    )
    (project / "cdktf.json").write_text(json.dumps({"language": "python", "app": f"{sys.executable} hang.py"}))
    status, findings = findings_of(project, "--format", "json", "--synth-timeout", "3")
    assert status == 1
    (found,) = findings
    assert found["rule"] == "synth" and "did not finish in 3 s, so it was stopped" in found["message"]
    leftover = subprocess.run(["pgrep", "-f", "time.sleep\\(600\\)"], capture_output=True, text=True, check=False)
    assert leftover.stdout == ""


def test_an_app_run_by_pipenv_without_a_pipfile_is_not_run(tmp_path):
    """`pipenv run` would write a Pipfile and a virtualenv: the doctor says so and writes nothing."""
    project = fixture_project(tmp_path)
    shutil.rmtree(project / "cdktf.out")
    (project / "cdktf.json").write_text(json.dumps({"language": "python", "app": "pipenv run python tap.py"}))
    before = files_in(project)
    status, findings = findings_of(project, "--format", "json")
    assert status == 0
    assert [(found["rule"], found["severity"]) for found in findings] == [("synth", WARNING)]
    assert findings[0]["message"].startswith("not synthesized: ")
    assert files_in(project) == before
