from cdktf_cdktf_provider_aws.dynamodb_table import DynamodbTable
from cdktf_cdktf_provider_aws.vpc import Vpc
from constructs import Construct


class Network(Construct):
    def __init__(self, scope: Construct, construct_id: str, *, environment_suffix: str) -> None:
        super().__init__(scope, construct_id)
        self.vpc = Vpc(self, "vpc", cidr_block="10.0.0.0/16", tags={"Name": f"demo-vpc-{environment_suffix}"})
        DynamodbTable(
            self,
            "sessions",
            name=f"demo-sessions-{environment_suffix}",
            billing_mode="PAY_PER_REQUEST",
            hash_key="id",
            attribute=[{"name": "id", "type": "S"}, {"name": "user", "type": "S"}],
            global_secondary_index=[{"name": "by-user", "hash_key": "user", "projection_type": "ALL"}],
        )
