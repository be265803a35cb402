from cdktf_cdktf_provider_aws.lb import Lb
from cdktf_cdktf_provider_aws.lb_listener import LbListener, LbListenerDefaultAction
from cdktf_cdktf_provider_aws.vpc import Vpc
from constructs import Construct


class Network(Construct):
    def __init__(self, scope: Construct, construct_id: str, *, environment_suffix: str, certificate_arn: str) -> None:
        super().__init__(scope, construct_id)
        self.vpc = Vpc(self, "vpc", cidr_block="10.0.0.0/16", tags={"Name": f"demo-vpc-{environment_suffix}"})
        balancer = Lb(self, "public", name=f"public-{environment_suffix}", load_balancer_type="application")
        LbListener(
            self,
            "https",
            load_balancer_arn=balancer.arn,
            port=443,
            protocol="HTTPS",
            certificate_arn=certificate_arn,
            default_action=[LbListenerDefaultAction(type="fixed-response")],
        )
