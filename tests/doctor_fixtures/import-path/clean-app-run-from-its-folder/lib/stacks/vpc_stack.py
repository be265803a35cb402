from cdktf import TerraformStack
from cdktf_cdktf_provider_aws.provider import AwsProvider
from constructs import Construct

from stacks.network import Network


class VpcStack(TerraformStack):
    def __init__(self, scope: Construct, stack_id: str, *, environment_suffix: str) -> None:
        super().__init__(scope, stack_id)
        AwsProvider(self, "aws", region="us-east-1", default_tags=[{"tags": {"Environment": environment_suffix}}])
        Network(self, "network", environment_suffix=environment_suffix)
