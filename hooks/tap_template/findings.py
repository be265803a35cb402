"""The doctor's rules, its findings, and a project's settings for them.

Each rule stands for failures of the analyses in shared/failure-analyses (named as
"analysis-failure", e.g. 002-5). Its default severity follows the analysis: Critical
and High failures are errors, Medium and Low ones warnings. A project can disable a
rule or change its severity (docs/failure-catalogue.md says how).
"""

import tomllib
from dataclasses import asdict, dataclass, field
from pathlib import Path

ERROR, WARNING = "error", "warning"


@dataclass(frozen=True)
class Rule:
    id: str
    severity: str
    failures: str  # the analyses' failures it catches
    summary: str


RULES = {
    rule.id: rule
    for rule in (
        # Sources
        Rule("cdktf-json", ERROR, "003-1", "cdktf.json exists, is valid JSON, and names the app"),
        Rule("prebuilt-provider", ERROR, "-", "terraformProviders lists no provider whose bindings are installed"),
        Rule("stack-call", ERROR, "001-1", "tap.py creates the stack with arguments its constructor accepts"),
        Rule("stack-name", ERROR, "001-4", "the stack's name is built from the environment suffix, not a literal"),
        Rule("import-path", ERROR, "002-2", "imports resolve from the project root (absolute lib. imports)"),
        Rule("framework-imports", ERROR, "-", "sources import the framework the project installs (cdktf or cdktn)"),
        Rule("builtin-shadowing", WARNING, "001-3", "no parameter shadows a Python builtin (id, type, ...)"),
        Rule("stack-provider", ERROR, "002-1", "every TerraformStack has its own provider"),
        Rule("construct-scope", ERROR, "002-4", "constructs are created with self as scope, not the outer scope"),
        Rule("security-group-rule", ERROR, "002-3", "security group rules are resources, not nested-block classes"),
        Rule("lambda-imports", ERROR, "002-8", "lambda handlers import only the standard library, boto3 and their own"),
        Rule("environment-tag", WARNING, "003-2", "the Environment tag comes from a parameter, not a literal"),
        # Synthesized stacks
        Rule("synth", ERROR, "-", "the app synthesizes"),
        Rule("remote-backend", ERROR, "001-2", "every stack keeps its state in a remote backend"),
        Rule("state-encryption", ERROR, "001-2", "the S3 backend encrypts the state"),
        Rule("state-locking", ERROR, "001-2, 003-3", "the S3 backend locks the state (use_lockfile or dynamodb_table)"),
        Rule("name-suffix", ERROR, "002-6", "physical resource names carry the environment suffix"),
        Rule("placeholder", ERROR, "002-7", "no placeholder zone ids, example domains or account ids"),
        Rule("lambda-package", ERROR, "002-5", "lambda deployment packages exist"),
        Rule("region-literal", WARNING, "002-11", "dashboards and alarms use the stack's region"),
        Rule("aurora-capacity", WARNING, "002-9", "Aurora Serverless v2 keeps at least 1 ACU"),
        Rule("vpc-flow-logs", WARNING, "002-10", "every VPC has flow logs"),
        Rule("reserved-concurrency", WARNING, "002-12", "reserved concurrency covers the stated load"),
        Rule("cost-tags", WARNING, "002-13", "resources carry cost allocation tags"),
        Rule("dms-multi-az", WARNING, "002-14", "DMS replication instances are Multi-AZ"),
        Rule("outputs", WARNING, "002-15", "every stack has outputs"),
    )
}


@dataclass
class Finding:
    rule: str
    severity: str
    message: str
    location: str  # file:line, or a Terraform resource address
    hint: str

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


def finding(rule: str, message: str, location: str, hint: str) -> Finding:
    return Finding(rule, RULES[rule].severity, message, location, hint)


class SettingsError(Exception):
    """A project's doctor settings cannot be used; the message names the file and the problem."""


@dataclass
class Settings:
    """A project's settings: `.tap-doctor.toml`, or else `[tool.tap-doctor]` in pyproject.toml."""

    disable: set[str] = field(default_factory=set)
    severity: dict[str, str] = field(default_factory=dict)
    fixed_names: set[str] = field(default_factory=set)  # account-wide names that take no suffix
    peak_requests_per_second: float | None = None
    function_duration_ms: float = 1000.0

    @classmethod
    def load(cls, project: Path) -> "Settings":
        own, pyproject = project / ".tap-doctor.toml", project / "pyproject.toml"
        if own.is_file():
            source, table = own, _read_toml(own)
        elif pyproject.is_file():
            source, table = pyproject, _read_toml(pyproject).get("tool", {}).get("tap-doctor", {})
        else:
            return cls()
        return cls._from_table(table, source.name)

    @classmethod
    def _from_table(cls, table: dict, source: str) -> "Settings":
        known = {"disable", "severity", "fixed-names", "load"}
        unknown = sorted(set(table) - known)
        if unknown:
            raise SettingsError(f"{source}: unknown tap-doctor setting {', '.join(unknown)} (known: {sorted(known)})")
        disable, severity = set(table.get("disable", [])), dict(table.get("severity", {}))
        for rule in disable | set(severity):
            if rule not in RULES:
                raise SettingsError(f"{source}: no tap-doctor rule {rule!r} (rules: {', '.join(RULES)})")
        for rule, level in severity.items():
            if level not in (ERROR, WARNING):
                raise SettingsError(f"{source}: severity of {rule} must be 'error' or 'warning', not {level!r}")
        load = table.get("load", {})
        try:
            peak = load.get("peak-requests-per-second")
            return cls(
                disable=disable,
                severity=severity,
                fixed_names=set(table.get("fixed-names", [])),
                peak_requests_per_second=None if peak is None else float(peak),
                function_duration_ms=float(load.get("function-duration-ms", 1000)),
            )
        except (TypeError, ValueError) as error:
            raise SettingsError(f"{source}: [load] values must be numbers ({error})") from None

    def apply(self, findings: list[Finding]) -> list[Finding]:
        """The findings of enabled rules, at the project's severity."""
        kept = [found for found in findings if found.rule not in self.disable]
        for found in kept:
            found.severity = self.severity.get(found.rule, found.severity)
        return kept


def _read_toml(path: Path) -> dict:
    try:
        return tomllib.loads(path.read_text())
    except tomllib.TOMLDecodeError as error:
        raise SettingsError(f"{path.name} is not valid TOML: {error}") from None
