from cdktf import TerraformStack
from cdktf_cdktf_provider_aws.provider import AwsProvider
from cdktf_cdktf_provider_aws.route53_zone import Route53Zone
from constructs import Construct


class DnsStack(TerraformStack):
    def __init__(self, scope: Construct, stack_id: str) -> None:
        super().__init__(scope, stack_id)
        AwsProvider(self, "aws", region="us-east-1")
        Route53Zone(self, "zone", name="internal.tap.dev")
