"""What every construct shares: how resources are named, and what a service offers the stack.

Each service's construct is a Service: plain attributes that TapStack wires in loops.
"""

from dataclasses import dataclass, field, replace

from constructs import Construct


@dataclass(frozen=True)
class Names:
    """Physical names: "<project>-<purpose>-<suffix>", and "<project>-<region>-<purpose>-<suffix>"
    in a secondary region, so that environments and regions never share a name."""

    project: str
    environment_suffix: str
    region: str = ""  # a secondary region; empty in the stack's own

    def __call__(self, purpose: str = "") -> str:
        parts = (self.project, self.region, purpose, self.environment_suffix)
        return "-".join(part for part in parts if part)

    def in_region(self, region: str) -> "Names":
        """The names of a standby in the secondary region `region`."""
        return replace(self, region=region)


@dataclass(frozen=True)
class Watch:
    """A metric that alarms when its statistic over five minutes reaches the threshold."""

    purpose: str  # part of the alarm's name, e.g. "api-errors"
    namespace: str
    metric: str
    dimensions: dict[str, str]
    statistic: str = "Sum"
    threshold: float = 1  # by default, any error at all


@dataclass(frozen=True)
class Access:
    """What a function needs to use a service: the environment variables that locate it and
    the IAM statements that allow it (the function's role gets them as "<purpose>-access")."""

    purpose: str
    environment: dict[str, str]
    statements: list[dict] = field(default_factory=list)


class Service(Construct):
    """A service's construct, and what it offers the rest of the stack (empty until it sets it)."""

    def __init__(self, scope: Construct, construct_id: str) -> None:
        super().__init__(scope, construct_id)
        self.outputs: dict[str, object] = {}  # the stack's outputs, in the stack's region
        self.region_outputs: dict[str, object] = {}  # a standby's, as <name>_<region>
        self.watches: list[Watch] = []  # metrics the monitoring service alarms on
        self.parameters: dict[str, str] = {}  # values the ssm service publishes
