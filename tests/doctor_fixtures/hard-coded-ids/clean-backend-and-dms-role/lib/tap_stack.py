import json

from cdktf import S3Backend, TerraformStack
from cdktf_cdktf_provider_aws.iam_role import IamRole
from cdktf_cdktf_provider_aws.provider import AwsProvider
from constructs import Construct

from lib.constructs.network import Network


class TapStack(TerraformStack):
    def __init__(self, scope: Construct, stack_id: str, *, environment_suffix: str, aws_region: str) -> None:
        super().__init__(scope, stack_id)
        AwsProvider(self, "aws", region=aws_region, default_tags=[{"tags": {"Environment": environment_suffix}}])
        S3Backend(
            self,
            bucket="demo-state",
            key=f"{environment_suffix}/{stack_id}.tfstate",
            region="us-east-1",
            encrypt=True,
        )
        self.add_override("terraform.backend.s3.use_lockfile", True)
        # DMS looks for this role by its exact name: it cannot carry the suffix.
        IamRole(
            self,
            "dms-vpc-role",
            name="dms-vpc-role",
            assume_role_policy=json.dumps(
                {
                    "Version": "2012-10-17",
                    "Statement": [
                        {"Effect": "Allow", "Principal": {"Service": "dms.amazonaws.com"}, "Action": "sts:AssumeRole"}
                    ],
                }
            ),
            managed_policy_arns=["arn:aws:iam::aws:policy/service-role/AmazonDMSVPCManagementRole"],
        )
        Network(self, "network", environment_suffix=environment_suffix)
