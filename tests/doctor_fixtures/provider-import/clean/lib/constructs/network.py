from cdktf_cdktf_provider_aws import s3_bucket
from cdktf_cdktf_provider_aws.s3_bucket_versioning import S3BucketVersioningA
from cdktf_cdktf_provider_aws.vpc import Vpc
from constructs import Construct

try:  # a class some versions of the bindings lack: the app goes on without it
    from cdktf_cdktf_provider_aws.vpc_flow_log import VpcFlowLog
except ImportError:
    VpcFlowLog = None


class Network(Construct):
    def __init__(self, scope: Construct, construct_id: str, *, environment_suffix: str) -> None:
        super().__init__(scope, construct_id)
        self.vpc = Vpc(self, "vpc", cidr_block="10.0.0.0/16", tags={"Name": f"demo-vpc-{environment_suffix}"})
        bucket = s3_bucket.S3Bucket(self, "data", bucket=f"demo-data-{environment_suffix}")
        S3BucketVersioningA(self, "versioning", bucket=bucket.id, versioning_configuration={"status": "Enabled"})
