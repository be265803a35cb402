import os

from cdktf import AssetType, TerraformAsset, TerraformStack
from cdktf_cdktf_provider_aws.lambda_function import LambdaFunction
from cdktf_cdktf_provider_aws.provider import AwsProvider
from constructs import Construct

from lib.constructs.network import Network

HERE = os.path.dirname(os.path.abspath(__file__))


class TapStack(TerraformStack):
    def __init__(self, scope: Construct, stack_id: str, *, environment_suffix: str, aws_region: str) -> None:
        super().__init__(scope, stack_id)
        AwsProvider(self, "aws", region=aws_region, default_tags=[{"tags": {"Environment": environment_suffix}}])
        Network(self, "network", environment_suffix=environment_suffix)
        code = TerraformAsset(self, "code", path=os.path.join(HERE, "lambda", "api"), type=AssetType.ARCHIVE)
        LambdaFunction(
            self,
            "api",
            function_name=f"demo-api-{environment_suffix}",
            role="${aws_iam_role.api.arn}",
            handler="index.handler",
            runtime="python3.12",
            filename=code.path,
            source_code_hash=code.asset_hash,
        )
