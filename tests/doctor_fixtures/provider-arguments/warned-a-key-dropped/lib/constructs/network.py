from cdktf_cdktf_provider_aws.s3_bucket import S3Bucket
from cdktf_cdktf_provider_aws.s3_bucket_server_side_encryption_configuration import (
    S3BucketServerSideEncryptionConfigurationA,
)
from cdktf_cdktf_provider_aws.vpc import Vpc
from constructs import Construct


class Network(Construct):
    def __init__(self, scope: Construct, construct_id: str, *, environment_suffix: str) -> None:
        super().__init__(scope, construct_id)
        self.vpc = Vpc(self, "vpc", cidr_block="10.0.0.0/16", tags={"Name": f"demo-vpc-{environment_suffix}"})
        bucket = S3Bucket(self, "data", bucket=f"demo-data-{environment_suffix}")
        S3BucketServerSideEncryptionConfigurationA(
            self,
            "encryption",
            bucket=bucket.id,
            rule=[{"apply_server_side_encryption_by_default": {"sse_algorithm": "aws:kms"}}],
        )
