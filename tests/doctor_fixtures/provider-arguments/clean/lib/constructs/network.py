from cdktf_cdktf_provider_aws.dynamodb_table import DynamodbTable, DynamodbTableGlobalSecondaryIndex
from cdktf_cdktf_provider_aws.s3_bucket import S3Bucket
from cdktf_cdktf_provider_aws.s3_bucket_lifecycle_configuration import (
    S3BucketLifecycleConfiguration,
    S3BucketLifecycleConfigurationRule,
    S3BucketLifecycleConfigurationRuleExpiration,
)
from cdktf_cdktf_provider_aws.s3_bucket_versioning import S3BucketVersioningA
from cdktf_cdktf_provider_aws.vpc import Vpc
from constructs import Construct


class Network(Construct):
    def __init__(self, scope: Construct, construct_id: str, *, environment_suffix: str) -> None:
        super().__init__(scope, construct_id)
        self.vpc = Vpc(self, "vpc", cidr_block="10.0.0.0/16", tags={"Name": f"demo-vpc-{environment_suffix}"})
        bucket = S3Bucket(self, "data", bucket=f"demo-data-{environment_suffix}", force_destroy=True)
        S3BucketVersioningA(self, "versioning", bucket=bucket.id, versioning_configuration={"status": "Enabled"})
        S3BucketLifecycleConfiguration(
            self,
            "lifecycle",
            bucket=bucket.id,
            rule=[
                S3BucketLifecycleConfigurationRule(
                    id="expire",
                    status="Enabled",
                    expiration=[S3BucketLifecycleConfigurationRuleExpiration(days=30)],
                )
            ],
        )
        DynamodbTable(
            self,
            "sessions",
            name=f"demo-sessions-{environment_suffix}",
            billing_mode="PAY_PER_REQUEST",
            hash_key="id",
            attribute=[{"name": "id", "type": "S"}, {"name": "user", "type": "S"}],
            global_secondary_index=[
                DynamodbTableGlobalSecondaryIndex(name="by-user", hash_key="user", projection_type="ALL")
            ],
        )
