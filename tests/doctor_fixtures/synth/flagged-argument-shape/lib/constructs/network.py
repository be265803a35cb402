from cdktf_cdktf_provider_aws.vpc import Vpc
from constructs import Construct


class Network(Construct):
    def __init__(self, scope: Construct, construct_id: str, *, environment_suffix: str) -> None:
        super().__init__(scope, construct_id)
        self.vpc = Vpc(
            self,
            "vpc",
            cidr_block="10.0.0.0/16",
            enable_dns_hostnames="true",  # a string where the binding takes a boolean
            tags={"Name": f"demo-vpc-{environment_suffix}"},
        )
