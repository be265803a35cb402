"""The synth rule's reading of a failed synth's output (tap_template.synth_errors).

tests/synth_logs/CASE holds a tiny app (tap.py, lib/storage_stack.py) and its output when
run as the doctor runs it (cdktf 0.21, provider-aws 21.22.1, Node 20, typeguard 2; sse-list-tg4
with typeguard 4.2), its paths written as {project} and {site_packages}.
"""

import importlib.util
import shutil
import sysconfig
from pathlib import Path

import pytest

from tap_template.bindings import camel, snake
from tap_template.doctor import synth_failure
from tap_template.project import Failed
from tap_template.synth_errors import clean, explain

LOGS = Path(__file__).parent / "synth_logs"
SITE_PACKAGES = sysconfig.get_paths()["purelib"]
HAS_PROVIDER = importlib.util.find_spec("cdktf_cdktf_provider_aws") is not None


def case(tmp_path: Path, name: str) -> tuple[Path, str]:
    """The case's app in a folder of its own, and its output with that folder's paths."""
    project = tmp_path / name
    shutil.copytree(LOGS / name, project, ignore=shutil.ignore_patterns("output.log"))
    log = (LOGS / name / "output.log").read_text()
    return project, log.replace("{project}", str(project)).replace("{site_packages}", SITE_PACKAGES)


CASES = {
    # jsii could not deserialize the value: the key path in Python's names, the shape, the fix
    "cors-rule-dict": (
        "lib/storage_stack.py:11",
        "S3Bucket(...) at lib/storage_stack.py:11: cors_rule takes a list of blocks (S3BucketCorsRule), got a dict",
        "wrap it in [ ]: cors_rule=[{...}], a list even for one block",
    ),
    "force-destroy-string": (
        "lib/storage_stack.py:11",
        "S3Bucket(...) at lib/storage_stack.py:11: force_destroy takes a boolean (True or False),"
        " got the string 'true'",
        "pass True (a Python boolean), not the string 'true'",
    ),
    "lifecycle-nested": (
        "lib/storage_stack.py:17",
        "S3BucketLifecycleConfiguration(...) at lib/storage_stack.py:17: rule[0].expiration takes a list of blocks"
        " (S3BucketLifecycleConfigurationRuleExpiration), got a dict",
        'wrap it in [ ]: "expiration": [{...}], a list even for one block',
    ),
    # the binding's type check (typeguard 2, and 4 which names no argument)
    "sse-list": (
        "lib/storage_stack.py:11",
        "S3Bucket(...) at lib/storage_stack.py:11: server_side_encryption_configuration takes one block"
        " (S3BucketServerSideEncryptionConfiguration, or a dict), got a list",
        "pass one block, not a list: drop the [ ] around server_side_encryption_configuration",
    ),
    "sse-list-tg4": (
        "lib/storage_stack.py:11",
        "S3Bucket(...) at lib/storage_stack.py:11: server_side_encryption_configuration takes one block"
        " (S3BucketServerSideEncryptionConfiguration, or a dict), got a list",
        "pass one block, not a list: drop the [ ] around server_side_encryption_configuration",
    ),
    # Python's own argument errors, in the class's terms
    "lifecycle-missing-bucket": (
        "lib/storage_stack.py:17",
        "S3BucketLifecycleConfiguration(...) at lib/storage_stack.py:17: the required argument bucket is missing",
        "pass bucket=...",
    ),
    "versioning-camel": (
        "lib/storage_stack.py:21",
        "S3BucketVersioningVersioningConfiguration(...) at lib/storage_stack.py:21:"
        " S3BucketVersioningVersioningConfiguration takes no argument Status",
        "use the snake_case name the Python binding takes: status=...",
    ),
    "versioning-unknown-kwarg": (
        "lib/storage_stack.py:17",
        "S3BucketVersioningA(...) at lib/storage_stack.py:17: S3BucketVersioningA takes no argument enabled",
        "remove enabled: S3BucketVersioningA takes bucket, versioning_configuration, expected_bucket_owner, id, mfa,"
        " region, connection, count, depends_on, for_each, lifecycle, provider, provisioners"
        if HAS_PROVIDER
        else "remove enabled, or name it as S3BucketVersioningA's binding does",
    ),
    "import-name": (
        "lib/storage_stack.py:5",
        "lib/storage_stack.py:5 imports S3BucketVersioning from cdktf_cdktf_provider_aws.s3_bucket_versioning,"
        " which has no such name",
        "did you mean S3BucketVersioningA?"
        if HAS_PROVIDER
        else "import a name cdktf_cdktf_provider_aws.s3_bucket_versioning defines",
    ),
    # cdktf's validation, and any other exception: its words, where the project's code raised it
    "no-provider": (
        "tap.py:7",
        "cdktf's validation failed at tap.py:7: stack StorageStackdev creates resources of the aws provider"
        " but no provider construct",
        "create the provider in that stack (AwsProvider(self, ...) for aws), not only in another stack",
    ),
    "token-attribute": (
        "lib/storage_stack.py:16",
        "AttributeError at lib/storage_stack.py:16: 'str' object has no attribute 'upper_case'"
        " (in `print(bucket.arn.upper_case())`)",
        "a resource's attributes are tokens (strings until deploy): use them whole, or cdktf's Fn functions",
    ),
    "key-error": (
        "lib/storage_stack.py:17",
        "KeyError at lib/storage_stack.py:17: 'retention_days' (in `print(settings[\"retention_days\"])`)",
        "fix the error above, then run again",
    ),
}


def test_every_captured_log_has_a_case():
    assert {path.name for path in LOGS.iterdir()} == set(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_failed_synth_in_the_user_s_terms(tmp_path, name):
    project, log = case(tmp_path, name)
    explained = explain(log, project)
    assert (explained.location, explained.summary, explained.hint) == CASES[name]


def test_the_finding_keeps_the_output_s_end_without_node_s_banner(tmp_path):
    project, log = case(tmp_path, "cors-rule-dict")
    found = synth_failure(project, Failed("synth (python tap.py) failed (exit status 1)", log), "cdktf.json: app")
    lines = found.message.splitlines()
    assert lines[0] == CASES["cors-rule-dict"][1]
    assert lines[1] == "synth (python tap.py) failed (exit status 1)"
    assert lines[-1].strip() == '╰─ [as cdktf.IResolvable] Value does not have the "$jsii.byref" key'
    assert len(lines) == 2 + 15 and not any("Node 20" in line for line in lines)
    assert (found.location, found.hint) == CASES["cors-rule-dict"][::2]


def test_output_without_a_traceback_keeps_today_s_finding(tmp_path):
    log = "b'!!  Node 20 is end-of-life  !!'\nSegmentation fault\n"
    assert explain(log, tmp_path) is None
    found = synth_failure(tmp_path, Failed("synth (python tap.py) failed (exit status 139)", log), "cdktf.json: app")
    assert (found.message, found.location) == (
        "synth (python tap.py) failed (exit status 139)\nSegmentation fault",
        "cdktf.json: app",
    )
    assert clean(log) == ["Segmentation fault"]


def test_an_unknown_exception_points_at_the_innermost_frame_in_the_project(tmp_path):
    (tmp_path / "lib").mkdir()
    log = "\n".join(
        [
            "Traceback (most recent call last):",
            f'  File "{tmp_path}/tap.py", line 6, in <module>',
            '    StorageStack(app, "x")',
            f'  File "{tmp_path}/lib/stack.py", line 12, in __init__',
            "    settings = load(self)",
            f'  File "{tmp_path}/.venv/lib/python3.12/site-packages/helper.py", line 3, in load',
            "    raise ValueError('no settings')",
            "ValueError: no settings",
        ]
    )
    explained = explain(log, tmp_path)
    assert (explained.location, explained.summary) == (
        "lib/stack.py:12",
        "ValueError at lib/stack.py:12: no settings (in `settings = load(self)`)",
    )


def test_jsii_keys_become_the_binding_s_names_and_back():
    names = ["cors_rule", "force_destroy", "ipv6_cidr_block", "bucket"]
    assert [snake(key) for key in ("corsRule", "forceDestroy", "ipv6CidrBlock", "bucket")] == names
    assert [camel(name) for name in names] == ["corsRule", "forceDestroy", "ipv6CidrBlock", "bucket"]
