import os

from cdktf import TerraformStack
from cdktf_cdktf_provider_aws.provider import AwsProvider
from constructs import Construct

from lib.constructs import network

try:
    from lib.constructs.naming import prefix
except ImportError:  # an older layout: the prefix is fixed

    def prefix(suffix: str) -> str:
        return f"tap-{suffix}"


if os.environ.get("TAP_STACK_BASE") == "legacy":
    TapStack = None  # the legacy stack is not built here
else:

    class TapStack(TerraformStack):
        def __init__(self, scope: Construct, stack_id: str, *, environment_suffix: str, aws_region: str) -> None:
            super().__init__(scope, stack_id)
            tags = {"Environment": environment_suffix, "Prefix": prefix(environment_suffix)}
            AwsProvider(self, "aws", region=aws_region, default_tags=[{"tags": tags}])
            network.Network(self, "network", environment_suffix=environment_suffix)
