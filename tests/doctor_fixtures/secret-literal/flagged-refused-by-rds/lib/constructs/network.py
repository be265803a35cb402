from cdktf_cdktf_provider_aws.db_instance import DbInstance
from cdktf_cdktf_provider_aws.rds_cluster import RdsCluster
from cdktf_cdktf_provider_aws.vpc import Vpc
from constructs import Construct


class Network(Construct):
    def __init__(self, scope: Construct, construct_id: str, *, environment_suffix: str) -> None:
        super().__init__(scope, construct_id)
        self.vpc = Vpc(self, "vpc", cidr_block="10.0.0.0/16", tags={"Name": f"demo-vpc-{environment_suffix}"})
        RdsCluster(
            self,
            "ledger",
            cluster_identifier=f"ledger-{environment_suffix}",
            engine="aurora-mysql",
            master_username="ledger_admin",
            master_password="admin1",
            skip_final_snapshot=True,
        )
        DbInstance(
            self,
            "reports",
            identifier=f"reports-{environment_suffix}",
            engine="postgres",
            instance_class="db.t4g.micro",
            allocated_storage=20,
            username="reports_admin",
            password="reports@2024/primary",
            skip_final_snapshot=True,
        )
