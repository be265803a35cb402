from cdktf import TerraformStack
from cdktf_cdktf_provider_aws.provider import AwsProvider
from cdktf_cdktf_provider_aws.s3_bucket import S3Bucket
from constructs import Construct
from cdktf_cdktf_provider_aws.s3_bucket_lifecycle_configuration import S3BucketLifecycleConfiguration


class StorageStack(TerraformStack):
    def __init__(self, scope: Construct, stack_id: str, *, environment_suffix: str) -> None:
        super().__init__(scope, stack_id)
        AwsProvider(self, "aws", region="us-east-1")
        bucket = S3Bucket(
            self,
            "bucket",
            bucket=f"demo-logs-{environment_suffix}",
        )
        S3BucketLifecycleConfiguration(self, "lifecycle", rule=[{"id": "expire", "status": "Enabled"}])
