"""The answer sets the tests copy, synthesize and check end to end, by name.

Every service alone (with the services it needs), every service together in three
regions, the DMS source engines that differ, the locking modes, the older provider
major, and the three presets; on CDK
Terrain, the defaults, every service and the presets; with uv, the defaults on each framework.
"""

from rendering import ALL_SERVICES, CATALOGUE, REQUIRED_ANSWERS, service_answers, with_needs

# The services moto can deploy (copier.yml's catalogue: emulator; docs/local-deploy.md says why not).
EMULATED_SERVICES = [service for service in ALL_SERVICES if CATALOGUE[service]["emulator"] != "no"]

SERVICE_CASES = {f"{service}-alone": service_answers(with_needs(service)) for service in ALL_SERVICES}
PRESET_CASES = {
    "preset-vpc-payment-gateway": {"preset": "vpc-payment-gateway"},
    "preset-payment-migration": {"preset": "payment-migration", **REQUIRED_ANSWERS["dns"]},
    "preset-multi-region-dr": {"preset": "multi-region-dr", **REQUIRED_ANSWERS["dns"]},
}
CASES = {
    "defaults": {},
    **SERVICE_CASES,
    "all-services": {
        **service_answers(ALL_SERVICES),
        "secondary_regions": ["us-west-2", "eu-central-1"],
        "nat_gateways": "single",
        "vpc_cidr": "172.20.0.0/16",
        "aws_region": "eu-west-1",
        "lambda_reserved_concurrency": 25,
        "extra_tags": {"DataClassification": "internal"},
    },
    # Provider 5: its two applies at once meet the lock in the emulator (test_local_deploy.py).
    "locking-dynamodb": {
        "services": ["storage"],
        "state_locking": "dynamodb",
        "lock_table": "tf-locks",
        "aws_provider_major": 5,
    },
    "locking-both": {"services": ["storage"], "state_locking": "both"},
    "provider-5": {**service_answers(ALL_SERVICES), "aws_provider_major": 5, "secondary_regions": ["us-west-2"]},
    # The source engines whose endpoints differ from postgres's: mysql names no database,
    # oracle starts without TLS (its checkov skip).
    "dms-mysql": {**service_answers(with_needs("dms")), "dms_source_engine": "mysql"},
    "dms-oracle": {**service_answers(with_needs("dms")), "dms_source_engine": "oracle"},
    # Deployed to the emulator (test_local_deploy.py): the defaults, and every service moto can create.
    "defaults-provider-5": {"aws_provider_major": 5},
    "emulated-services-provider-5": {**service_answers(EMULATED_SERVICES), "aws_provider_major": 5},
    **PRESET_CASES,
}
# CDK Terrain, for the defaults, every service and the presets.
CASES |= {
    f"cdktn-{name}": {**CASES[name], "framework": "cdktn"} for name in ("defaults", "all-services", *PRESET_CASES)
}
# uv instead of pipenv: the verification installs the project with `uv sync` (conftest.py).
CASES |= {
    "uv-defaults": {"package_manager": "uv"},
    "cdktn-uv-defaults": {"framework": "cdktn", "package_manager": "uv"},
}
