import json

from cdktf import Fn, TerraformVariable
from cdktf_cdktf_provider_aws.db_instance import DbInstance
from cdktf_cdktf_provider_aws.rds_cluster import RdsCluster
from cdktf_cdktf_provider_aws.secretsmanager_secret import SecretsmanagerSecret
from cdktf_cdktf_provider_aws.secretsmanager_secret_version import SecretsmanagerSecretVersion
from cdktf_cdktf_provider_aws.vpc import Vpc
from cdktf_cdktf_provider_random.password import Password
from constructs import Construct


class Network(Construct):
    def __init__(self, scope: Construct, construct_id: str, *, environment_suffix: str) -> None:
        super().__init__(scope, construct_id)
        self.vpc = Vpc(self, "vpc", cidr_block="10.0.0.0/16", tags={"Name": f"demo-vpc-{environment_suffix}"})
        # RDS keeps the master password in Secrets Manager and rotates it.
        RdsCluster(
            self,
            "ledger",
            cluster_identifier=f"ledger-{environment_suffix}",
            engine="aurora-postgresql",
            master_username="ledger_admin",
            manage_master_user_password=True,
            skip_final_snapshot=True,
        )
        # A generated password, without the characters RDS refuses.
        password = Password(self, "reports-password", length=32, override_special="!#$%^&*()-_=+")
        DbInstance(
            self,
            "reports",
            identifier=f"reports-{environment_suffix}",
            engine="postgres",
            instance_class="db.t4g.micro",
            allocated_storage=20,
            username="reports_admin",
            password=password.result,
            skip_final_snapshot=True,
        )
        secret = SecretsmanagerSecret(self, "reports-secret", name=f"reports-db-{environment_suffix}")
        SecretsmanagerSecretVersion(
            self,
            "reports-secret-value",
            secret_id=secret.id,
            secret_string=Fn.jsonencode({"username": "reports_admin", "password": password.result}),
        )
        # A partner's key, given at deploy time and never written in the code.
        partner_key = TerraformVariable(self, "partner_api_key", type="string", sensitive=True)
        partner = SecretsmanagerSecret(self, "partner", name=f"partner-api-{environment_suffix}")
        SecretsmanagerSecretVersion(
            self,
            "partner-value",
            secret_id=partner.id,
            secret_string=json.dumps({"api_key": partner_key.string_value}),
        )
