import json

from cdktf_cdktf_provider_aws.secretsmanager_secret import SecretsmanagerSecret
from cdktf_cdktf_provider_aws.secretsmanager_secret_version import SecretsmanagerSecretVersion
from cdktf_cdktf_provider_aws.vpc import Vpc
from constructs import Construct


class Network(Construct):
    def __init__(self, scope: Construct, construct_id: str, *, environment_suffix: str) -> None:
        super().__init__(scope, construct_id)
        self.vpc = Vpc(self, "vpc", cidr_block="10.0.0.0/16", tags={"Name": f"demo-vpc-{environment_suffix}"})
        secret = SecretsmanagerSecret(self, "partner", name=f"partner-api-{environment_suffix}")
        SecretsmanagerSecretVersion(
            self,
            "partner-value",
            secret_id=secret.id,
            secret_string=json.dumps({"client_id": "reports", "api_key": "pk_live_7f3a9c21d0b4"}),
        )
