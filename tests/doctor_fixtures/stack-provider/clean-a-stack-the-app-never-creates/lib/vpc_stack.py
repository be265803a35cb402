from cdktf import TerraformStack
from cdktf_cdktf_provider_aws.vpc import Vpc


class VpcStack(TerraformStack):
    def __init__(self, scope, stack_id: str) -> None:
        super().__init__(scope, stack_id)
        Vpc(self, "vpc", cidr_block="10.1.0.0/16")
