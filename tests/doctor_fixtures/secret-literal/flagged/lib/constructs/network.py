from cdktf_cdktf_provider_aws.rds_cluster import RdsCluster
from cdktf_cdktf_provider_aws.vpc import Vpc
from constructs import Construct

DATABASE_PASSWORD = "Tr0ub4dor-and-3"


class Network(Construct):
    def __init__(self, scope: Construct, construct_id: str, *, environment_suffix: str) -> None:
        super().__init__(scope, construct_id)
        self.vpc = Vpc(self, "vpc", cidr_block="10.0.0.0/16", tags={"Name": f"demo-vpc-{environment_suffix}"})
        RdsCluster(
            self,
            "ledger",
            cluster_identifier=f"ledger-{environment_suffix}",
            engine="aurora-postgresql",
            master_username="ledger_admin",
            master_password=DATABASE_PASSWORD,
            skip_final_snapshot=True,
        )
