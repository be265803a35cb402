from cdktf import TerraformStack
from cdktf_cdktf_provider_aws.provider import AwsProvider
from cdktf_cdktf_provider_aws.vpc import Vpc
from constructs import Construct


class Region(Construct):
    """The stack's provider, made by a construct the stack creates."""

    def __init__(self, scope: Construct, construct_id: str) -> None:
        super().__init__(scope, construct_id)
        AwsProvider(self, "aws", region="us-east-1")


class VpcStack(TerraformStack):
    def __init__(self, scope, stack_id: str) -> None:
        super().__init__(scope, stack_id)
        Region(self, "region")
        Vpc(self, "vpc", cidr_block="10.1.0.0/16")
