import json
import os

from cdktf import Fn
from cdktf_cdktf_provider_aws.data_aws_availability_zones import DataAwsAvailabilityZones
from cdktf_cdktf_provider_aws.data_aws_caller_identity import DataAwsCallerIdentity
from cdktf_cdktf_provider_aws.iam_role import IamRole
from cdktf_cdktf_provider_aws.iam_role_policy_attachment import IamRolePolicyAttachment
from cdktf_cdktf_provider_aws.lambda_function import LambdaFunction
from cdktf_cdktf_provider_aws.s3_bucket import S3Bucket
from cdktf_cdktf_provider_aws.s3_bucket_policy import S3BucketPolicy
from cdktf_cdktf_provider_aws.subnet import Subnet
from cdktf_cdktf_provider_aws.vpc import Vpc
from cdktf_cdktf_provider_aws.vpc_endpoint import VpcEndpoint
from constructs import Construct

# Elastic Load Balancing writes access logs as this account in us-east-1 (AWS documents it).
ELB_LOG_DELIVERY = "arn:aws:iam::127311923021:root"


class Network(Construct):
    def __init__(self, scope: Construct, construct_id: str, *, environment_suffix: str, aws_region: str) -> None:
        super().__init__(scope, construct_id)
        caller = DataAwsCallerIdentity(self, "caller")
        zones = DataAwsAvailabilityZones(self, "zones", state="available")
        self.vpc = Vpc(self, "vpc", cidr_block="10.0.0.0/16", tags={"Name": f"demo-vpc-{environment_suffix}"})
        for index in range(2):
            Subnet(
                self,
                f"private-{index}",
                vpc_id=self.vpc.id,
                cidr_block=f"10.0.{index}.0/24",
                availability_zone=Fn.element(zones.names, index),
            )
        VpcEndpoint(self, "storage", vpc_id=self.vpc.id, service_name=f"com.amazonaws.{aws_region}.s3")
        role = IamRole(
            self,
            "probe-role",
            name=f"probe-role-{environment_suffix}",
            assume_role_policy=json.dumps(
                {
                    "Version": "2012-10-17",
                    "Statement": [
                        {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}
                    ],
                }
            ),
        )
        IamRolePolicyAttachment(
            self,
            "probe-logs",
            role=role.name,
            policy_arn="arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
        )
        LambdaFunction(
            self,
            "probe",
            function_name=f"probe-{environment_suffix}",
            role=role.arn,
            runtime="python3.12",
            handler="index.handler",
            filename=os.path.join(os.path.dirname(__file__), "..", "lambda", "probe.zip"),
            layers=[f"arn:aws:lambda:{aws_region}:580247275435:layer:LambdaInsightsExtension:38"],
            kms_key_arn=f"arn:aws:kms:{aws_region}:{caller.account_id}:alias/aws/lambda",
        )
        logs = S3Bucket(self, "logs", bucket=f"demo-logs-{environment_suffix}")
        S3BucketPolicy(
            self,
            "logs-policy",
            bucket=logs.id,
            policy=json.dumps(
                {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Effect": "Allow",
                            "Principal": {"AWS": ELB_LOG_DELIVERY},
                            "Action": "s3:PutObject",
                            "Resource": f"{logs.arn}/alb/AWSLogs/{caller.account_id}/*",
                        }
                    ],
                }
            ),
        )
