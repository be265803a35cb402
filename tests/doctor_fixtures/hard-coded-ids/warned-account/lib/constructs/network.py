from cdktf_cdktf_provider_aws.cloudwatch_metric_alarm import CloudwatchMetricAlarm
from cdktf_cdktf_provider_aws.vpc import Vpc
from constructs import Construct


class Network(Construct):
    def __init__(self, scope: Construct, construct_id: str, *, environment_suffix: str) -> None:
        super().__init__(scope, construct_id)
        self.vpc = Vpc(self, "vpc", cidr_block="10.0.0.0/16", tags={"Name": f"demo-vpc-{environment_suffix}"})
        alerts = "arn:aws:sns:us-east-1:480237165529:ops-alerts"
        CloudwatchMetricAlarm(
            self,
            "nat-errors",
            alarm_name=f"nat-errors-{environment_suffix}",
            namespace="AWS/NATGateway",
            metric_name="ErrorPortAllocation",
            statistic="Sum",
            period=300,
            evaluation_periods=1,
            threshold=1,
            comparison_operator="GreaterThanOrEqualToThreshold",
            alarm_actions=[alerts],
        )
