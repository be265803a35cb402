from cdktf_cdktf_provider_aws.vpc import Vpc
from cdktf_cdktf_provider_aws.security_group import SecurityGroupIngress
from cdktf_cdktf_provider_aws.security_group_rule import SecurityGroupRule
from constructs import Construct


class Network(Construct):
    def __init__(self, scope: Construct, construct_id: str, *, environment_suffix: str) -> None:
        super().__init__(scope, construct_id)
        self.vpc = Vpc(self, "vpc", cidr_block="10.0.0.0/16", tags={"Name": f"demo-vpc-{environment_suffix}"})
        SecurityGroupRule(
            self,
            "https",
            type="ingress",
            from_port=443,
            to_port=443,
            protocol="tcp",
            security_group_id="${aws_security_group.app.id}",
        )
        self.inline = SecurityGroupIngress(from_port=80, to_port=80, protocol="tcp")
