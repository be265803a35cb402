"""tap-doctor on malformed input: a finding, or exit status 2 with one line naming the file
and what is wrong; never a traceback, a hang or a silent pass. And its exit-status contract:
0 no error, 1 errors found, 2 unusable input or settings, 3 a bug of its own.
"""

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from doctoring import DOCTOR, doctor, fixture_project

Change = Callable[[Path], None]


def write(relative: str, content: str | bytes) -> Change:
    def change(project: Path) -> None:
        target = project / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content) if isinstance(content, bytes) else target.write_text(content)

    return change


def edit_json(relative: str, edit: Callable[[object], object]) -> Change:
    def change(project: Path) -> None:
        target = project / relative
        target.write_text(json.dumps(edit(json.loads(target.read_text()))))

    return change


def with_cdktf(**values) -> Change:
    return edit_json("cdktf.json", lambda config: {**config, **values})


def symlink(relative: str, to: str) -> Change:
    def change(project: Path) -> None:
        (project / relative).symlink_to(to)

    return change


def both(*changes: Change) -> Change:
    def change(project: Path) -> None:
        for each in changes:
            each(project)

    return change


def fifo(relative: str) -> Change:
    return lambda project: os.mkfifo(project / relative)


def stack_file(content: str) -> Change:
    return write(STACK, content)


NETWORK = "lib/constructs/network.py"
STACK = "cdktf.out/stacks/TapStackdev/cdk.tf.json"
BASE_TAP = (Path(__file__).parent / "doctor_fixtures" / "base" / "tap.py").read_text()

# name: (change to the base project, expected exit status, the rule of an expected finding
# or, for status 2, what standard error must say)
FINDINGS = {
    "binary tap.py": (write("tap.py", bytes(range(256)) * 4), 1, "python-syntax"),
    "tap.py in Latin-1 without a coding line": (
        write("tap.py", b"x = '\xe9t\xe9'\n" + BASE_TAP.encode()),
        1,
        "python-syntax",
    ),
    "a syntax error in tap.py": (write("tap.py", BASE_TAP.replace("app.synth()", "app.synth(")), 1, "python-syntax"),
    "merge conflict markers in a module the app imports": (
        write(NETWORK, "<<<<<<< HEAD\nx = 1\n=======\nx = 2\n>>>>>>> main\n"),
        1,
        "python-syntax",
    ),
    "an expression nested too deeply to compile": (write(NETWORK, "x = a" + " + a" * 100_000), 1, "python-syntax"),
    "more nested parentheses than Python allows": (write(NETWORK, "x = " + "(" * 300 + ")" * 300), 1, "python-syntax"),
    "a symlink loop named like a module": (
        both(symlink("lib/loop_a.py", "loop_b.py"), symlink("lib/loop_b.py", "loop_a.py")),
        0,
        "python-syntax",
    ),
    "a dangling symlink named like a module": (symlink("lib/gone.py", "nowhere.py"), 0, "python-syntax"),
    "a FIFO named like a module": (fifo("lib/pipe.py"), 0, "python-syntax"),
    "a 5 MB module": (write("lib/generated.py", "VALUE = 1\n" * 500_000), 0, "python-syntax"),
    "the app imports a module behind a dangling symlink": (
        both(
            write("tap.py", BASE_TAP.replace("import os\n", "import os\n\nimport settings  # noqa: F401\n")),
            symlink("settings.py", "nowhere.py"),
        ),
        1,
        "python-syntax",
    ),
    "terraformProviders a string": (with_cdktf(terraformProviders="aws@~> 6.0"), 1, "cdktf-json"),
    "terraformProviders objects": (
        with_cdktf(terraformProviders=[{"name": "aws", "source": "hashicorp/aws", "version": "~> 6.0"}]),
        0,
        "prebuilt-provider",
    ),
    "cdktf.json not UTF-8": (write("cdktf.json", b'{"language": "python", "app": "t\xe4p.py"}'), 1, "cdktf-json"),
    "cdktf.json nested 100000 deep": (write("cdktf.json", "[" * 100_000 + "]" * 100_000), 1, "cdktf-json"),
    "cdktf.json a list": (write("cdktf.json", '["python tap.py"]'), 1, "cdktf-json"),
    "cdktf.json empty": (write("cdktf.json", ""), 1, "cdktf-json"),
    "app a number": (with_cdktf(app=3), 1, "cdktf-json"),
    "app with an unclosed quote": (with_cdktf(app="python 'tap.py"), 1, "cdktf-json"),
    "app naming a script that does not exist": (with_cdktf(app="pipenv run python main.py"), 1, "cdktf-json"),
    "tap.py a folder": (both(lambda project: (project / "tap.py").unlink(), write("tap.py/x", "")), 1, "cdktf-json"),
    "manifest naming a missing stack file": (
        write("cdktf.out/manifest.json", json.dumps({"stacks": {"Gone": {"synthesizedStackPath": "x.json"}}})),
        1,
        "synth",
    ),
    "manifest whose stacks are a list": (write("cdktf.out/manifest.json", '{"stacks": []}'), 1, "synth"),
    "manifest not JSON": (write("cdktf.out/manifest.json", "{"), 1, "synth"),
    "stack file nested 100000 deep": (stack_file("[" * 100_000 + "]" * 100_000), 1, "synth"),
    "stack file a list": (stack_file("[]"), 1, "synth"),
    "a function's package named longer than the system allows": (
        edit_json(STACK, lambda stack: {**stack, "resource": {"aws_lambda_function": {"f": {"filename": "x" * 300}}}}),
        1,
        "lambda-package",
    ),
    "an app script named longer than the system allows": (with_cdktf(app=f"python {'x' * 300}.py"), 1, "cdktf-json"),
    "a file name with a superscript digit and a finding": (
        write("lib/area_m²1.py", "def f(id):\n    return id\n"),
        0,
        "builtin-shadowing",
    ),
}
# Malformed input that is no defect of the project: no finding at all.
NO_FINDINGS = {
    "terraformProviders null": with_cdktf(terraformProviders=None),
    "terraformProviders of numbers and nulls": with_cdktf(terraformProviders=[1, None]),
    "a folder symlink loop": symlink("lib/again", ".."),
    "a module name that is not UTF-8": lambda project: (project / os.fsdecode(b"lib/\xff.py")).write_text("x = 1\n"),
    "modules that import each other": both(
        write("lib/a.py", "from lib.b import B\n\nA = 1\n"),
        write("lib/b.py", "from lib import a  # noqa: F401\n\nB = 1\n"),
        write("tap.py", BASE_TAP.replace("import os\n", "import os\n\nimport lib.a  # noqa: F401\n")),
    ),
    "an empty tap.py": write("tap.py", ""),
    "regions that are not strings": edit_json(
        STACK,
        lambda stack: {
            **stack,
            "provider": {
                "aws": [
                    {**stack["provider"]["aws"][0], "region": ["us-east-1"]},
                    {**stack["provider"]["aws"][0], "alias": "b", "region": 5},
                ]
            },
            "resource": {"aws_cloudwatch_metric_alarm": {"a": {"provider": {"x": 1}, "alarm_name": "demo-dev"}}},
        },
    ),
    "an import named longer than the system allows, guarded": write(
        "lib/optional.py", f"try:\n    import {'x' * 300}\nexcept ImportError:\n    pass\n"
    ),
    "dependencies that are not a list": write("pyproject.toml", "[project]\nname = 'x'\ndependencies = 5\n"),
    "stack resources in a list, not an object": edit_json(
        STACK, lambda stack: {**stack, "resource": [], "provider": "aws"}
    ),
}
UNUSABLE = {
    "severity a list": (".tap-doctor.toml", 'severity = ["outputs"]\n', "severity must be a table"),
    "load a number": (".tap-doctor.toml", "load = 5\n", "load must be a table"),
    "disable a string": (".tap-doctor.toml", 'disable = "outputs"\n', "disable must be a list of strings"),
    "a load of zero": (".tap-doctor.toml", "[load]\npeak-requests-per-second = 0\n", "must be a positive number"),
    "a load that is a boolean": (".tap-doctor.toml", "[load]\nfunction-duration-ms = true\n", "positive number"),
    "an infinite load": (".tap-doctor.toml", "[load]\npeak-requests-per-second = inf\n", "positive number up to"),
    "a load that is not a number": (".tap-doctor.toml", "[load]\npeak-requests-per-second = nan\n", "positive number"),
    "a load past any machine": (".tap-doctor.toml", "[load]\nfunction-duration-ms = 1e308\n", "positive number up to"),
    "an unknown load setting": (".tap-doctor.toml", "[load]\npeak = 5\n", "unknown [load] setting peak"),
    "binary pyproject.toml": ("pyproject.toml", bytes(range(256)), "pyproject.toml is not UTF-8 text"),
    "tap-doctor settings not a table": ("pyproject.toml", '[tool]\ntap-doctor = "strict"\n', "must be a table"),
}


def no_traceback(result: subprocess.CompletedProcess) -> None:
    assert "Traceback" not in result.stdout + result.stderr


@pytest.mark.parametrize("case", sorted(FINDINGS))
def test_malformed_input_is_a_finding(tmp_path, case):
    change, status, rule = FINDINGS[case]
    project = fixture_project(tmp_path)
    change(project)
    result = doctor(project, "--format", "json", "--synthesized")
    no_traceback(result)
    assert result.returncode == status, result.stderr
    findings = json.loads(result.stdout)
    assert rule in {found["rule"] for found in findings}
    # The severity claims only what happens: an error only where the synth (or the app) fails.
    assert any(found["severity"] == "error" for found in findings) == (status == 1)


@pytest.mark.parametrize("case", sorted(NO_FINDINGS))
def test_malformed_input_that_is_no_defect_gets_no_finding(tmp_path, case):
    project = fixture_project(tmp_path)
    NO_FINDINGS[case](project)
    result = doctor(project, "--format", "json", "--synthesized")
    no_traceback(result)
    assert (result.returncode, json.loads(result.stdout)) == (0, []), result.stderr


@pytest.mark.parametrize("case", sorted(UNUSABLE))
def test_unusable_settings_exit_2_with_one_line_naming_the_file(tmp_path, case):
    name, content, message = UNUSABLE[case]
    project = fixture_project(tmp_path)
    write(name, content)(project)
    result = doctor(project)
    no_traceback(result)
    assert result.returncode == 2
    assert result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert name in line and message in line


def test_a_file_given_as_the_project_exits_2(tmp_path):
    project = fixture_project(tmp_path)
    result = doctor(project / "tap.py")
    no_traceback(result)
    assert (result.returncode, result.stderr.strip()) == (2, f"tap-doctor: {project / 'tap.py'} is not a folder")


def test_an_internal_error_exits_3_says_it_is_a_bug_and_where_the_details_are(tmp_path):
    """A bug of the doctor's (here: a rule that raises) is told apart from a finding."""
    project = fixture_project(tmp_path)
    program = (
        "import sys; import tap_template.doctor as doctor\n"
        "def broken(project, settings): raise KeyError('rule state')\n"
        "doctor.check_sources = broken\n"
        f"sys.exit(doctor.main([{str(project)!r}]))\n"
    )
    result = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=False)
    assert result.returncode == 3
    no_traceback(result)
    assert "internal error (KeyError: 'rule state')" in result.stderr
    assert "This is a bug in tap-doctor, not a finding on the project" in result.stderr
    log = Path(result.stderr.split("the details are in ")[1].split(",")[0])
    assert "Traceback" in log.read_text() and "broken" in log.read_text()
    log.unlink()


def test_findings_are_sorted_by_line_as_a_number(tmp_path):
    project = fixture_project(tmp_path)
    lines = "\n".join(f"def handler_{number}(id):\n    return id\n" for number in range(60))
    write("lib/handlers.py", lines)(project)
    result = doctor(project, "--format", "json", "--synthesized")
    numbers = [int(found["location"].rsplit(":", 1)[1]) for found in json.loads(result.stdout)]
    assert len(numbers) == 60 and numbers == sorted(numbers)


def test_an_interpreter_given_for_an_app_without_one_exits_2(tmp_path):
    """TAP_TEMPLATE_PYTHON replaces the app's interpreter; an app that names none is the
    doctor's usage, not the project's defect."""
    project = fixture_project(tmp_path)
    write("cdktf.json", json.dumps({"language": "python", "app": "./run-synth"}))(project)
    result = subprocess.run(
        [sys.executable, str(DOCTOR), str(project)],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "TAP_TEMPLATE_PYTHON": sys.executable},
    )
    no_traceback(result)
    assert result.returncode == 2
    assert "TAP_TEMPLATE_PYTHON is set, but cdktf.json's app starts with no Python interpreter" in result.stderr
