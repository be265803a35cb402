"""The answer sets the tests copy, synthesize and check end to end, by name.

Every service alone (with the services it needs), every service together in three
regions, the locking modes, the older provider major, and the three presets.
"""

from rendering import ALL_SERVICES, REQUIRED_ANSWERS, service_answers, with_needs

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
    "locking-dynamodb": {"services": ["storage"], "state_locking": "dynamodb", "lock_table": "tf-locks"},
    "locking-both": {"services": ["storage"], "state_locking": "both"},
    "provider-5": {**service_answers(ALL_SERVICES), "aws_provider_major": 5, "secondary_regions": ["us-west-2"]},
    "defaults-provider-5": {"aws_provider_major": 5},  # deployed to the emulator (test_local_deploy.py)
    **PRESET_CASES,
}
