from cdktf_cdktf_provider_aws.flow_log import FlowLog
from constructs import Construct


class Vpc(Construct):
    """The project's own Vpc: flow logs of the network's VPC. Its name repeats the binding's."""

    def __init__(self, scope: Construct, construct_id: str, *, vpc_id: str) -> None:
        super().__init__(scope, construct_id)
        FlowLog(self, "flow-log", vpc_id=vpc_id, traffic_type="ALL")
