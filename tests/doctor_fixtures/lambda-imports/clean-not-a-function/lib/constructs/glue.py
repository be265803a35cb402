import os

from cdktf import AssetType, TerraformAsset
from constructs import Construct


class GlueScript(Construct):
    def __init__(self, scope: Construct, construct_id: str) -> None:
        super().__init__(scope, construct_id)
        TerraformAsset(self, "script", path=os.path.join(os.path.dirname(__file__), "..", "glue", "job.py"), type=AssetType.FILE)
