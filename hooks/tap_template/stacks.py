"""The doctor's rules on synthesized stacks (cdktf.out/stacks/*/cdk.tf.json)."""

import contextlib
import json
import re
from collections.abc import Iterator
from pathlib import Path

from tap_template.findings import ERROR, WARNING, Finding, Settings, finding
from tap_template.modules import is_file

# Backends that keep the state off the machine that runs Terraform.
REMOTE_BACKENDS = {"s3", "gcs", "azurerm", "remote", "cloud", "http", "consul", "pg", "kubernetes", "oss", "cos"}
# Attributes that hold a resource's physical name, with the resource types whose own name
# they are (elsewhere, `bucket` or `function_name` names a parent); `name` for any type. A
# *_prefix gets a unique ending from Terraform, and a Name tag need not be unique: neither
# collides.
NAME_ATTRIBUTES = {
    "name": None,
    "bucket": {"aws_s3_bucket", "aws_s3_directory_bucket"},
    "function_name": {"aws_lambda_function"},
    "cluster_identifier": {"aws_rds_cluster", "aws_redshift_cluster", "aws_docdb_cluster", "aws_neptune_cluster"},
    "identifier": {"aws_db_instance", "aws_rds_cluster_instance"},
    "global_cluster_identifier": {"aws_rds_global_cluster"},
    "alarm_name": {"aws_cloudwatch_metric_alarm", "aws_cloudwatch_composite_alarm"},
    "dashboard_name": {"aws_cloudwatch_dashboard"},
    "replication_instance_id": {"aws_dms_replication_instance"},
    "replication_subnet_group_id": {"aws_dms_replication_subnet_group"},
    "replication_task_id": {"aws_dms_replication_task"},
    "endpoint_id": {"aws_dms_endpoint"},
}
# Resources whose `name` is a DNS name, a path, or scoped inside another resource (an API's
# stage, such as "$default"): not a physical name that two environments could share.
NAME_IS_NOT_PHYSICAL = {
    "aws_route53_record",
    "aws_route53_zone",
    "aws_ssm_parameter",
    "aws_iam_role_policy_attachment",
    "aws_iam_policy_attachment",
    "aws_apigatewayv2_stage",
    # Names that need not be unique in an account.
    "aws_api_gateway_rest_api",
    "aws_apigatewayv2_api",
    "aws_cognito_user_pool",
    "aws_appsync_graphql_api",
}
# Resources whose name is unique only inside a parent resource, by the attribute naming the
# parent: no collision when the parent is a resource of the stack (a reference) or itself
# carries the suffix.
NAME_SCOPED_BY = {
    "aws_iam_role_policy": "role",
    "aws_iam_user_policy": "user",
    "aws_iam_group_policy": "group",
    "aws_security_group": "vpc_id",
    "aws_cloudwatch_log_stream": "log_group_name",
    "aws_cloudwatch_log_metric_filter": "log_group_name",
    "aws_cloudwatch_log_subscription_filter": "log_group_name",
    "aws_backup_selection": "plan_id",
    "aws_ecs_service": "cluster",
    "aws_lambda_alias": "function_name",
    "aws_glue_catalog_table": "database_name",
    "aws_cognito_user_pool_client": "user_pool_id",
    "aws_api_gateway_authorizer": "rest_api_id",
    "aws_api_gateway_model": "rest_api_id",
    "aws_apigatewayv2_authorizer": "api_id",
    "aws_appautoscaling_policy": "resource_id",
    "aws_autoscaling_policy": "autoscaling_group_name",
    "aws_autoscaling_lifecycle_hook": "autoscaling_group_name",
    "aws_cloudwatch_event_rule": "event_bus_name",
    "aws_cloudwatch_event_target": "event_bus_name",
}
COST_TAGS = ("CostCenter", "Owner", "Application")
# Placeholders, with what they cause: a hosted zone that does not exist fails the deploy;
# an example domain or account id deploys, and points at nothing real (a warning).
PLACEHOLDERS = (
    (
        re.compile(r"\bZ1234\w*|\bZ0{5,}\w*|\bZEXAMPLE\w*", re.IGNORECASE),
        "a placeholder hosted zone id, so the deploy fails (no such hosted zone)",
        ERROR,
    ),
    (re.compile(r"\bexample\.(com|org|net)\b", re.IGNORECASE), "an example.* domain, which no one here owns", WARNING),
    (re.compile(r"\b(123456789012|111111111111|000000000000)\b"), "a placeholder account id", WARNING),
)
# Up to this, a reservation on a function behind an API is worth a look when no load is
# stated: at a second per request, 10 executions carry 10 requests a second (analysis 002's
# payment API reserved 10).
UNSTATED_LOAD_RESERVATION = 10
# Services that invoke a function for each request they receive.
ENDPOINT_PRINCIPALS = {"apigateway.amazonaws.com": "an API", "elasticloadbalancing.amazonaws.com": "a load balancer"}
REGION = re.compile(r"\b(?:us|eu|ap|sa|ca|me|af|il|mx)-[a-z]+-\d\b")


def resources(stack: dict) -> Iterator[tuple[str, str, dict]]:
    """(type, address, configuration) of every resource of a stack."""
    for resource_type, by_name in _table(stack, "resource").items():
        for name, config in by_name.items() if isinstance(by_name, dict) else ():
            if isinstance(config, dict):
                yield resource_type, f"{resource_type}.{name}", config


def aws_providers(stack: dict) -> list[dict]:
    """The stack's AWS provider configurations."""
    providers = _table(stack, "provider").get("aws")
    return [provider for provider in providers if isinstance(provider, dict)] if isinstance(providers, list) else []


def backends(stack: dict) -> dict:
    """The stack's backend, by type: {"s3": {...}}."""
    return _table(_table(stack, "terraform"), "backend")


def _table(value: dict, key: str) -> dict:
    """value[key] when it is a JSON object; an empty one otherwise (a hand-edited stack)."""
    found = value.get(key)
    return found if isinstance(found, dict) else {}


def strings(value) -> Iterator[str]:
    """Every string in a JSON value, however deep (without recursion)."""
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            yield item
        elif isinstance(item, dict):
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)


def environment_suffix(stack_name: str) -> str | None:
    """The suffix a tap-layout stack is named after (TapStack<suffix>)."""
    if not stack_name.startswith("TapStack"):
        return None
    return stack_name.removeprefix("TapStack") or None


def state_locks(s3_backend: dict) -> list[str]:
    """The S3 backend's locking mechanisms that are on: use_lockfile, dynamodb_table, or both."""
    return [lock for lock in ("use_lockfile", "dynamodb_table") if s3_backend.get(lock)]


def describe(name: str, stack: dict) -> str:
    """What a stack has that the verification vouches for, in one line."""
    regions = ", ".join(str(provider.get("region")) for provider in aws_providers(stack))
    parts = [f"aws provider ({regions})"]
    backend = backends(stack)
    if "s3" in backend:
        s3 = backend["s3"]
        locks = " + ".join(state_locks(s3))
        parts.append(f"s3 backend ({'encrypted' if s3.get('encrypt') is True else 'unencrypted'}, locked by {locks})")
    else:
        parts += [f"{kind} backend" for kind in backend]
    parts.append(f"{sum(1 for _ in resources(stack))} resources, {len(_table(stack, 'output'))} outputs")
    return f"{name}: {', '.join(parts)}"


def check_stack(name: str, stack: dict, stack_dir: Path, settings: Settings) -> list[Finding]:
    """Every stack rule's findings for one synthesized stack."""
    findings = check_state(name, stack)
    for check in (
        check_names,
        check_placeholders,
        check_lambda_packages,
        check_regions,
        check_resource_settings,
        check_tags,
    ):
        findings += check(name, stack, stack_dir, settings)
    if not _table(stack, "output"):
        findings.append(
            finding(
                "outputs",
                f"stack {name} has no outputs, so integration tests cannot find its resources",
                name,
                "add a TerraformOutput for each key resource (ids, ARNs, names, endpoints)",
            )
        )
    return findings


def check_state(name: str, stack: dict) -> list[Finding]:
    findings = []
    uses_aws = any(
        resource_type.startswith("aws_") for block in ("resource", "data") for resource_type in _table(stack, block)
    )
    if uses_aws and not aws_providers(stack):
        # cdktf's validation stops the synth before this, unless the app skips validation.
        findings.append(
            Finding(
                "stack-provider",
                WARNING,
                f"stack {name} has AWS resources but no AWS provider: Terraform configures a default one "
                "from the environment (AWS_REGION, credentials), not from the stack",
                name,
                "create an AwsProvider in the stack (or make it a Construct inside the main stack)",
            )
        )
    backend = backends(stack)
    if not set(backend) & REMOTE_BACKENDS:
        findings.append(
            finding(
                "remote-backend",
                f"stack {name} keeps its state on the machine that runs Terraform: a CI job loses it, and no "
                "one else can see or lock it",
                name,
                "add an S3Backend (bucket, key with the environment suffix, region, encrypt=True, locking)",
            )
        )
    s3 = backend.get("s3")
    s3 = s3 if isinstance(s3, dict) or s3 is None else {}
    if s3 is not None and s3.get("encrypt") is not True:
        findings.append(
            finding(
                "state-encryption",
                f"the S3 backend of {name} does not ask for encryption of the state, which holds secrets (S3 "
                "encrypts new objects by default; a bucket policy that demands encryption refuses the write)",
                f"{name}: terraform.backend.s3",
                "pass encrypt=True to S3Backend",
            )
        )
    if s3 is not None and not state_locks(s3):
        findings.append(
            finding(
                "state-locking",
                f"the S3 backend of {name} has no locking, so concurrent runs can corrupt the state",
                f"{name}: terraform.backend.s3",
                'self.add_override("terraform.backend.s3.use_lockfile", True) (Terraform >= 1.10), '
                "or dynamodb_table (deprecated since Terraform 1.11)",
            )
        )
    return findings


# Role names AWS services look up exactly, one per account: DMS finds its VPC, logging and
# endpoint roles by these names. They take no suffix (and a second environment shares them).
NAMES_AWS_REQUIRES = {"dms-vpc-role", "dms-cloudwatch-logs-role", "dms-access-for-endpoint"}


def check_names(name: str, stack: dict, stack_dir: Path, settings: Settings) -> list[Finding]:
    suffix = environment_suffix(name)
    if suffix is None:
        return []  # not named TapStack<suffix>: the suffix is unknown

    def carries_suffix(text: str) -> bool:  # in any case: S3 names are lowercase (data-pr42, TapStackPr42)
        return "${" in text or suffix.lower() in text.lower()

    fixed = settings.fixed_names | NAMES_AWS_REQUIRES
    findings = []
    for resource_type, address, config in resources(stack):
        parent = config.get(NAME_SCOPED_BY.get(resource_type, ""))
        if resource_type in NAME_IS_NOT_PHYSICAL or (isinstance(parent, str) and carries_suffix(parent)):
            continue
        names = (config.get(key) for key, types in NAME_ATTRIBUTES.items() if types is None or resource_type in types)
        for physical in names:
            if isinstance(physical, str) and physical not in fixed and not carries_suffix(physical):
                findings.append(
                    finding(
                        "name-suffix",
                        f"{address} is named {physical!r}, without the environment suffix {suffix!r}: "
                        "a second environment in the same account fails to create it",
                        f"{name}: {address}",
                        'put the suffix in the name (f"<purpose>-{environment_suffix}"); an account-wide name '
                        "that must stay fixed goes in the doctor's fixed-names",
                    )
                )
    return findings


def check_placeholders(name: str, stack: dict, stack_dir: Path, settings: Settings) -> list[Finding]:
    findings = []
    for _, address, config in resources(stack):
        for text in strings(config):
            for pattern, what, severity in PLACEHOLDERS:
                if found := pattern.search(text):
                    findings.append(
                        Finding(
                            "placeholder",
                            severity,
                            f"{address} refers to {what}: {found[0]!r}",
                            f"{name}: {address}",
                            "refer to a resource of the stack (its zone_id, dns_name, arn) or to a setting",
                        )
                    )
    return findings


def check_lambda_packages(name: str, stack: dict, stack_dir: Path, settings: Settings) -> list[Finding]:
    """A function's zip, as Terraform opens it from the stack's folder, exists."""
    # A data.archive_file writes its zip when Terraform plans, before the function needs it.
    archives = {
        str(archive.get("output_path")).removeprefix("${path.module}/")
        for archive in _table(_table(stack, "data"), "archive_file").values()
        if isinstance(archive, dict)
    }
    findings = []
    for resource_type, address, config in resources(stack):
        package = config.get("filename") if resource_type == "aws_lambda_function" else None
        if not isinstance(package, str) or "data.archive_file." in package:
            continue
        for module_path in ("${path.module}/", "${path.root}/", "${path.cwd}/"):
            package = package.removeprefix(module_path)  # all three: the stack's folder
        if "${" not in package and package not in archives and not is_file(stack_dir / package):
            findings.append(
                finding(
                    "lambda-package",
                    f"{address} deploys {config['filename']}, which does not exist, so the deploy fails",
                    f"{name}: {address}",
                    "package the code with TerraformAsset(path=..., type=AssetType.ARCHIVE) and pass its path "
                    "and asset_hash",
                )
            )
    return findings


def check_regions(name: str, stack: dict, stack_dir: Path, settings: Settings) -> list[Finding]:
    """Dashboards and alarms name only the region of their provider."""
    providers = aws_providers(stack)
    region_of = {f"aws.{p['alias']}" if "alias" in p else "aws": p.get("region") for p in providers}
    region_of = {str(alias): region for alias, region in region_of.items() if isinstance(region, str)}
    findings = []
    for resource_type, address, config in resources(stack):
        if resource_type not in {"aws_cloudwatch_dashboard", "aws_cloudwatch_metric_alarm"}:
            continue
        region = region_of.get(str(config.get("provider", "aws")))
        texts = list(strings(config))
        if resource_type == "aws_cloudwatch_dashboard" and isinstance(config.get("dashboard_body"), str):
            with contextlib.suppress(json.JSONDecodeError):
                texts = list(strings(json.loads(config["dashboard_body"])))
        others = sorted({found for text in texts for found in REGION.findall(text)} - {region})
        if others and region and "${" not in region:
            findings.append(
                finding(
                    "region-literal",
                    f"{address} names region {', '.join(others)}, its provider's is {region}",
                    f"{name}: {address}",
                    "take the region from the stack's aws_region parameter",
                )
            )
    return findings


def check_resource_settings(name: str, stack: dict, stack_dir: Path, settings: Settings) -> list[Finding]:
    findings = []
    needed = None
    if settings.peak_requests_per_second is not None:
        # Concurrency = requests per second x seconds per request, with 100 % headroom.
        needed = max(1, round(2 * settings.peak_requests_per_second * settings.function_duration_ms / 1000))
    watched_vpcs = {config.get("vpc_id") for kind, _, config in resources(stack) if kind == "aws_flow_log"}
    serving = functions_behind_an_endpoint(stack)
    for resource_type, address, config in resources(stack):
        location = f"{name}: {address}"
        scaling = config.get("serverlessv2_scaling_configuration")
        scaling = scaling[0] if isinstance(scaling, list) and scaling else scaling
        if resource_type == "aws_rds_cluster" and isinstance(scaling, dict):
            minimum = scaling.get("min_capacity")
            if isinstance(minimum, int | float) and minimum < 1:
                findings.append(
                    finding(
                        "aurora-capacity",
                        f"{address} scales down to {minimum} ACU, with cold starts of 10-30 s when load returns",
                        location,
                        "keep min_capacity at 1.0 or more for latency-sensitive workloads",
                    )
                )
        reserved = config.get("reserved_concurrent_executions")
        if resource_type == "aws_lambda_function" and isinstance(reserved, int) and reserved >= 0:
            if needed and reserved < needed:
                findings.append(
                    finding(
                        "reserved-concurrency",
                        f"{address} reserves {reserved} concurrent executions; the stated load needs about {needed}",
                        location,
                        "raise reserved_concurrent_executions, or leave it unset to use the account's pool",
                    )
                )
            elif needed is None and address in serving and reserved <= UNSTATED_LOAD_RESERVATION:
                findings.append(
                    finding(
                        "reserved-concurrency",
                        f"{address} serves {serving[address]} and reserves {reserved} concurrent executions: "
                        f"more requests than that at once are throttled (429)",
                        location,
                        "state the peak load in the doctor's settings ([tool.tap-doctor.load] "
                        "peak-requests-per-second, function-duration-ms) so it can be checked, or leave the "
                        "reservation unset",
                    )
                )
        if resource_type == "aws_dms_replication_instance" and config.get("multi_az") is not True:
            findings.append(
                finding(
                    "dms-multi-az",
                    f"{address} runs in one availability zone, a single point of failure during the migration",
                    location,
                    "set multi_az=True",
                )
            )
        if resource_type == "aws_vpc" and f"${{{address}.id}}" not in watched_vpcs:
            findings.append(
                finding(
                    "vpc-flow-logs",
                    f"{address} has no flow logs, so its traffic cannot be investigated",
                    location,
                    "add a FlowLog (traffic_type ALL) to CloudWatch Logs or S3",
                )
            )
    return findings


def functions_behind_an_endpoint(stack: dict) -> dict[str, str]:
    """The functions (by address) that an API Gateway or a load balancer may invoke, each with
    what invokes it (its aws_lambda_permission's principal)."""
    serving = {}
    for _, _, permission in (item for item in resources(stack) if item[0] == "aws_lambda_permission"):
        what = ENDPOINT_PRINCIPALS.get(str(permission.get("principal")))
        target = re.search(r"\$\{(aws_lambda_function\.[\w-]+)\.", str(permission.get("function_name", "")))
        if what and target:
            serving[target[1]] = what
    return serving


def check_tags(name: str, stack: dict, stack_dir: Path, settings: Settings) -> list[Finding]:
    findings = []
    for provider in aws_providers(stack):
        blocks = provider.get("default_tags")
        tags = {
            key
            for block in (blocks if isinstance(blocks, list) else [])
            if isinstance(block, dict) and isinstance(block.get("tags"), dict)
            for key in block["tags"]
        }
        missing = [tag for tag in COST_TAGS if tag not in tags]
        if missing:
            label = f"provider aws.{provider['alias']}" if "alias" in provider else "provider aws"
            findings.append(
                finding(
                    "cost-tags",
                    f"the default tags of {label} lack {', '.join(missing)}, so costs cannot be allocated",
                    f"{name}: {label}",
                    "put CostCenter, Owner and Application in the provider's default_tags",
                )
            )
    return findings
