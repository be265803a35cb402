import os

from cdktf_cdktf_provider_aws.iam_role_policy_attachment import IamRolePolicyAttachment
from cdktf_cdktf_provider_aws.lambda_function import LambdaFunction
from cdktf_cdktf_provider_aws.vpc import Vpc
from constructs import Construct

ACCOUNT_ID = "123456789012"


class Network(Construct):
    def __init__(self, scope: Construct, construct_id: str, *, environment_suffix: str) -> None:
        super().__init__(scope, construct_id)
        self.vpc = Vpc(self, "vpc", cidr_block="10.0.0.0/16", tags={"Name": f"demo-vpc-{environment_suffix}"})
        LambdaFunction(
            self,
            "probe",
            function_name=f"probe-{environment_suffix}",
            role=f"arn:aws:iam::{ACCOUNT_ID}:role/probe-role",
            runtime="python3.12",
            handler="index.handler",
            filename=os.path.join(os.path.dirname(__file__), "..", "lambda", "probe.zip"),
        )
        IamRolePolicyAttachment(
            self,
            "probe-policy",
            role=f"probe-role-{environment_suffix}",
            policy_arn="arn:aws:iam::000000000000:policy/probe-access",
        )
