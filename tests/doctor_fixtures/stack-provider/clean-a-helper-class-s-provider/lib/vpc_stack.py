from cdktf import TerraformStack
from cdktf_cdktf_provider_aws.provider import AwsProvider
from cdktf_cdktf_provider_aws.vpc import Vpc


class Providers:
    @staticmethod
    def aws(scope, region: str) -> AwsProvider:
        return AwsProvider(scope, "aws", region=region)


class VpcStack(TerraformStack):
    def __init__(self, scope, stack_id: str) -> None:
        super().__init__(scope, stack_id)
        Providers.aws(self, "us-east-1")
        Vpc(self, "vpc", cidr_block="10.1.0.0/16")
