from cdktf import TerraformStack
from cdktf_cdktf_provider_aws.provider import AwsProvider
from constructs import Construct
from yaml.loader import SafeLoader  # noqa: F401

from lib.constructs.network import Network


class TapStack(TerraformStack):
    def __init__(self, scope: Construct, stack_id: str, *, environment_suffix: str, aws_region: str) -> None:
        super().__init__(scope, stack_id)
        AwsProvider(self, "aws", region=aws_region, default_tags=[{"tags": {"Environment": environment_suffix}}])
        Network(self, "network", environment_suffix=environment_suffix)
