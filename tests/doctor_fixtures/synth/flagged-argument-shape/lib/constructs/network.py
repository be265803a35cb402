import os

from cdktf_cdktf_provider_aws.vpc import Vpc
from constructs import Construct


class Network(Construct):
    def __init__(self, scope: Construct, construct_id: str, *, environment_suffix: str) -> None:
        super().__init__(scope, construct_id)
        self.vpc = Vpc(
            self,
            "vpc",
            cidr_block="10.0.0.0/16",
            # A string where the binding takes a boolean, known only when the app runs.
            enable_dns_hostnames=os.environ.get("DNS_HOSTNAMES", "true"),
            tags={"Name": f"demo-vpc-{environment_suffix}"},
        )
