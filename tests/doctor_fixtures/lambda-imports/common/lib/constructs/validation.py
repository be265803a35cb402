import os

from cdktf import AssetType, TerraformAsset
from cdktf_cdktf_provider_aws.lambda_function import LambdaFunction
from constructs import Construct

HANDLER_FOLDER = os.path.join(os.path.dirname(__file__), "..", "lambda", "validation")


class Validation(Construct):
    def __init__(self, scope: Construct, construct_id: str, *, environment_suffix: str, role_arn: str) -> None:
        super().__init__(scope, construct_id)
        code = TerraformAsset(self, "code", path=HANDLER_FOLDER, type=AssetType.ARCHIVE)
        LambdaFunction(
            self,
            "function",
            function_name=f"demo-validation-{environment_suffix}",
            role=role_arn,
            handler="handler.main",
            runtime="python3.12",
            filename=code.path,
            source_code_hash=code.asset_hash,
        )
