from cdktf_cdktf_provider_aws.subnet import Subnet
from cdktf_cdktf_provider_aws.vpc import Vpc
from constructs import Construct

ZONES = ["us-east-1a", "us-east-1b"]


class Network(Construct):
    def __init__(self, scope: Construct, construct_id: str, *, environment_suffix: str) -> None:
        super().__init__(scope, construct_id)
        self.vpc = Vpc(self, "vpc", cidr_block="10.0.0.0/16", tags={"Name": f"demo-vpc-{environment_suffix}"})
        for index, zone in enumerate(ZONES):
            Subnet(self, f"private-{index}", vpc_id=self.vpc.id, cidr_block=f"10.0.{index}.0/24", availability_zone=zone)
