from cdktf_cdktf_provider_aws.s3_bucket import S3Bucket
from cdktf_cdktf_provider_aws.s3_bucket_lifecycle_configuration import (
    S3BucketLifecycleConfiguration,
    S3BucketLifecycleConfigurationRule,
    S3BucketLifecycleConfigurationRuleExpiration,
)
from cdktf_cdktf_provider_aws.vpc import Vpc
from constructs import Construct


class Network(Construct):
    def __init__(self, scope: Construct, construct_id: str, *, environment_suffix: str) -> None:
        super().__init__(scope, construct_id)
        self.vpc = Vpc(self, "vpc", cidr_block="10.0.0.0/16", tags={"Name": f"demo-vpc-{environment_suffix}"})
        bucket = S3Bucket(self, "data", bucket=f"demo-data-{environment_suffix}")
        S3BucketLifecycleConfiguration(
            self,
            "lifecycle",
            bucket=bucket.id,
            rule=[
                S3BucketLifecycleConfigurationRule(
                    id="expire",
                    status="Enabled",
                    expiration=S3BucketLifecycleConfigurationRuleExpiration(days=30),
                )
            ],
        )
