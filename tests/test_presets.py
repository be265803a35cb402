"""The three reference architectures: every numbered failure of their analyses, shown absent.

Each preset is a case of the matrix (tests/matrix.py): copied, verified and synthesized
once, with tap-doctor run over it (test_generated_projects.py checks that the verification
reports no error and no warning, that the project's unit tests and lint pass). The tests
here read that project and its synthesized stack. Their names say which analysis and
failure they answer: test_<analysis>_<failure number>_...; docs/presets/ has the same map.
"""

import ast
import builtins
import json
import re
import sys

import pytest

from matrix import PRESET_CASES
from tap_template.findings import ANALYSED_FAILURES

ANALYSIS_OF_PRESET = {"multi-region-dr": "001", "payment-migration": "002", "vpc-payment-gateway": "003"}


def on(preset):
    """Run on the xdist worker that holds the preset's case."""
    return pytest.mark.xdist_group(f"preset-{preset}")


@pytest.fixture(scope="module")
def gateway(generated):
    return generated("preset-vpc-payment-gateway")


@pytest.fixture(scope="module")
def migration(generated):
    return generated("preset-payment-migration")


@pytest.fixture(scope="module")
def dr(generated):
    return generated("preset-multi-region-dr")


def of_type(stack, resource_type):
    return list(stack["resource"].get(resource_type, {}).values())


def python_sources(project):
    return [path for path in project.rglob("*.py") if not {"tools", "cdktf.out"} & set(path.parts)]


def test_every_numbered_failure_has_a_test_here():
    tested = {
        name.split("_")[1] + "_" + name.split("_")[2] for name in globals() if re.match(r"test_\d{3}_\d{2}_", name)
    }
    expected = {f"{analysis}_{number:02}" for analysis, numbers in ANALYSED_FAILURES.items() for number in numbers}
    assert tested == expected
    assert {f"preset-{preset}" for preset in ANALYSIS_OF_PRESET} == set(PRESET_CASES)


# ---------------------------------------------------------------- 003: VPC for a payment gateway


@on("vpc-payment-gateway")
def test_003_01_the_project_has_a_cdktf_json_that_runs_tap_py(gateway):
    config = json.loads((gateway.project / "cdktf.json").read_text())
    assert (config["language"], config["app"]) == ("python", "pipenv run python tap.py")
    assert "synth passed" in " ".join(gateway.report.split())


@on("vpc-payment-gateway")
def test_003_02_the_environment_tag_follows_the_environment_not_a_literal(gateway):
    stack = gateway.stack()
    (provider,) = stack["provider"]["aws"]
    assert provider["default_tags"][0]["tags"]["Environment"] == "dev"  # the suffix it was synthesized for
    assert not any(
        "Environment" in config.get("tags", {}) for rtype in stack["resource"] for config in of_type(stack, rtype)
    )


@on("vpc-payment-gateway")
def test_003_03_the_state_is_locked_with_a_lock_file_terraform_accepts(gateway):
    backend = gateway.stack()["terraform"]["backend"]["s3"]
    assert backend["use_lockfile"] is True  # valid since Terraform 1.10 (the analysis predates it)
    assert backend["encrypt"] is True


@on("vpc-payment-gateway")
def test_003_the_vpc_spans_three_zones_with_nat_per_zone_an_s3_endpoint_and_flow_logs(gateway):
    stack = gateway.stack()
    assert len(of_type(stack, "aws_subnet")) == 6
    assert len(of_type(stack, "aws_nat_gateway")) == 3
    (endpoint,) = of_type(stack, "aws_vpc_endpoint")
    assert endpoint["service_name"].endswith(".s3")
    (flow_log,) = of_type(stack, "aws_flow_log")
    assert flow_log["traffic_type"] == "ALL"


# ---------------------------------------------------------------- 002: payment-processing migration


@on("payment-migration")
def test_002_01_one_terraform_stack_whose_parts_are_constructs(migration):
    assert len(list((migration.project / "cdktf.out" / "stacks").iterdir())) == 1
    for path in (migration.project / "lib" / "constructs").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ClassDef):
                # Service (common.py) is the Construct every service's construct extends.
                assert [ast.unparse(base) for base in node.bases] in (["Construct"], ["Service"], []), (path, node.name)


@on("payment-migration")
def test_002_02_imports_of_the_project_modules_are_absolute_from_lib(migration):
    local = {path.stem for path in (migration.project / "lib").rglob("*.py")} - {"__init__"}
    for path in python_sources(migration.project):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom):
                assert node.level == 0, path
                assert node.module.split(".")[0] not in local, (path, node.module)


@on("payment-migration")
def test_002_03_security_group_rules_are_standalone_rule_resources(migration):
    stack = migration.stack()
    for group in of_type(stack, "aws_security_group"):
        assert "ingress" not in group and "egress" not in group
    rules = of_type(stack, "aws_security_group_rule")
    assert rules and all("${aws_security_group." in rule["security_group_id"] for rule in rules)
    sources = " ".join(path.read_text() for path in python_sources(migration.project))
    assert "SecurityGroupIngress" not in sources and "SecurityGroupEgress" not in sources


@on("payment-migration")
def test_002_04_every_resource_belongs_to_the_stack(migration):
    stack = migration.stack()
    for resource_type in stack["resource"]:
        for config in of_type(stack, resource_type):
            assert config["//"]["metadata"]["path"].startswith("TapStackdev/"), resource_type


@on("payment-migration")
def test_002_05_the_function_is_deployed_from_a_package_that_exists(migration):
    (function,) = of_type(migration.stack(), "aws_lambda_function")
    (stack_dir,) = (migration.project / "cdktf.out" / "stacks").iterdir()
    assert (stack_dir / function["filename"]).is_file()
    assert function["source_code_hash"]


@on("payment-migration")
def test_002_06_no_role_takes_the_account_wide_dms_name_unless_asked(migration):
    assert migration.recorded_answers()["dms_create_vpc_role"] is False
    roles = [role["name"] for role in of_type(migration.stack(), "aws_iam_role")]
    assert roles and all(name.endswith("-dev") for name in roles)


@on("payment-migration")
def test_002_07_dns_records_target_resources_of_this_stack(migration):
    stack = migration.stack()
    records = of_type(stack, "aws_route53_record")
    assert records
    for record in records:
        assert record["zone_id"].startswith("${aws_route53_zone.")
        if "alias" in record:
            assert record["alias"]["name"].startswith("${aws_apigatewayv2_domain_name.")
            assert record["alias"]["zone_id"].startswith("${aws_apigatewayv2_domain_name.")
    text = json.dumps(stack["resource"])
    assert not re.search(r"Z1234|example\.(com|org|net)|old-system", text)


@on("payment-migration")
def test_002_08_the_handler_needs_no_driver_the_runtime_lacks(migration):
    handler = (migration.project / "lib" / "lambda" / "api" / "handler.py").read_text()
    imported = {
        alias.name.split(".")[0]
        for node in ast.walk(ast.parse(handler))
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in (node.names if isinstance(node, ast.Import) else [ast.alias(node.module)])
    }
    assert imported - set(sys.stdlib_module_names) == {"boto3"}
    assert 'client("rds-data")' in handler
    (cluster,) = of_type(migration.stack(), "aws_rds_cluster")
    assert cluster["enable_http_endpoint"] is True


@on("payment-migration")
def test_002_09_aurora_keeps_one_acu_warm_and_scales_to_eight(migration):
    (cluster,) = of_type(migration.stack(), "aws_rds_cluster")
    assert cluster["serverlessv2_scaling_configuration"] == {"min_capacity": 1, "max_capacity": 8}


@on("payment-migration")
def test_002_10_every_vpc_has_flow_logs(migration):
    stack = migration.stack()
    watched = {log["vpc_id"] for log in of_type(stack, "aws_flow_log") if log["traffic_type"] == "ALL"}
    assert {f"${{aws_vpc.{name}.id}}" for name in stack["resource"]["aws_vpc"]} == watched


@on("payment-migration")
def test_002_11_the_dashboard_takes_the_stack_region(migration):
    (dashboard,) = of_type(migration.stack(), "aws_cloudwatch_dashboard")
    widgets = json.loads(dashboard["dashboard_body"])["widgets"]
    assert widgets and {widget["properties"]["region"] for widget in widgets} == {"us-east-2"}
    assert migration.recorded_answers()["aws_region"] == "us-east-2"


@on("payment-migration")
def test_002_12_reserved_concurrency_carries_the_peak_load(migration):
    (function,) = of_type(migration.stack(), "aws_lambda_function")
    assert function["reserved_concurrent_executions"] == 50  # ~500 requests/s at 100 ms


@on("payment-migration")
def test_002_13_every_resource_carries_cost_allocation_tags(migration):
    (provider,) = migration.stack()["provider"]["aws"]
    tags = provider["default_tags"][0]["tags"]
    assert tags["Application"] == "payment-processing"
    assert {"CostCenter", "Owner", "ManagedBy", "Environment"} <= set(tags)


@on("payment-migration")
def test_002_14_the_replication_instance_is_multi_az(migration):
    (instance,) = of_type(migration.stack(), "aws_dms_replication_instance")
    assert instance["multi_az"] is True


@on("payment-migration")
def test_002_15_key_resources_are_outputs(migration):
    outputs = set(migration.stack()["output"])
    assert {"vpc_id", "api_endpoint", "api_url", "database_endpoint", "function_name"} <= outputs
    assert {"dms_replication_task_arn", "dms_source_secret_arn"} <= outputs


# ---------------------------------------------------------------- 001: multi-region disaster recovery


@on("multi-region-dr")
def test_001_01_tap_py_calls_tap_stack_with_the_arguments_it_takes(dr):
    tap = ast.parse((dr.project / "tap.py").read_text())
    (passed,) = [
        {keyword.arg for keyword in node.keywords}
        for node in ast.walk(tap)
        if isinstance(node, ast.Call) and ast.unparse(node.func) == "TapStack"
    ]
    stack = ast.parse((dr.project / "lib" / "tap_stack.py").read_text())
    (accepted,) = [
        {argument.arg for argument in node.args.kwonlyargs}
        for node in ast.walk(stack)
        if isinstance(node, ast.FunctionDef) and node.name == "__init__"
    ]
    assert passed == accepted
    assert "synth passed" in " ".join(dr.report.split())


@on("multi-region-dr")
def test_001_02_the_state_is_remote_encrypted_locked_and_per_environment(dr):
    backend = dr.stack()["terraform"]["backend"]["s3"]
    assert backend["encrypt"] is True and backend["use_lockfile"] is True
    assert backend["key"] == "dev/TapStackdev.tfstate"


@on("multi-region-dr")
def test_001_03_no_parameter_shadows_a_builtin(dr):
    for path in python_sources(dr.project):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.arg):
                assert node.arg not in dir(builtins), (path, node.arg)


@on("multi-region-dr")
def test_001_04_tap_py_names_the_stack_and_tags_by_environment_and_ci_metadata(dr):
    stack = dr.stack()
    assert stack["//"]["metadata"]["stackName"] == "TapStackdev"
    tags = stack["provider"]["aws"][0]["default_tags"][0]["tags"]
    assert {"Environment", "Repository", "Author", "PRNumber", "Team"} <= set(tags)


@on("multi-region-dr")
def test_001_the_standby_region_has_the_database_table_api_events_and_backups(dr):
    stack = dr.stack()
    standby = "aws.us_west_2"
    in_standby = {rtype for rtype in stack["resource"] for c in of_type(stack, rtype) if c.get("provider") == standby}
    assert {
        "aws_vpc",
        "aws_rds_cluster",
        "aws_lambda_function",
        "aws_apigatewayv2_api",
        "aws_cloudwatch_event_bus",
        "aws_backup_vault",
    } <= in_standby
    (table,) = of_type(stack, "aws_dynamodb_table")
    assert [replica["region_name"] for replica in table["replica"]] == ["us-west-2"]
    assert len(of_type(stack, "aws_rds_global_cluster")) == 1
    failover = {
        r["set_identifier"]: r["failover_routing_policy"]["type"]
        for r in of_type(stack, "aws_route53_record")
        if "failover_routing_policy" in r
    }
    assert failover == {"us-east-1": "PRIMARY", "us-west-2": "SECONDARY"}
