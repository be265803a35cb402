from cdktf_cdktf_provider_aws.vpc import Vpc
from constructs import Construct

SETTINGS = {"cidr": "10.0.0.0/16"}


class Network(Construct):
    """Python 3.12 reads the f-string below (PEP 701); Python 3.11 does not."""

    def __init__(self, scope: Construct, construct_id: str, *, environment_suffix: str) -> None:
        super().__init__(scope, construct_id)
        self.vpc = Vpc(self, "vpc", cidr_block=f"{SETTINGS["cidr"]}", tags={"Name": f"demo-vpc-{environment_suffix}"})
