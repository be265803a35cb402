"""The doctor's rules, its findings, and a project's settings for them.

Each rule stands for failures of the analyses in shared/failure-analyses (named as
"analysis-failure", e.g. 002-5). Its severity follows the consequence: an error says the
synth, an import, the deploy or the state fails (and does only when it would); what
makes a project worse but lets it work is a warning. A rule whose finding cannot be sure
(a module a layer may bring) reports a warning. A project can disable a rule or change
its severity (docs/failure-catalogue.md says how).
"""

import tomllib
from dataclasses import asdict, dataclass, field
from pathlib import Path

from tap_template.project import SettingsError

ERROR, WARNING = "error", "warning"
# A load setting above this is a typo (or inf): requests a second, or milliseconds.
LARGEST_LOAD = 1e7
# The numbered failures of each analysis (shared/failure-analyses/<analysis>_*.txt).
ANALYSED_FAILURES = {"001": range(1, 5), "002": range(1, 16), "003": range(1, 4)}


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
        Rule("cdktf-json", ERROR, "003-1", "cdktf.json exists, is valid JSON, and names an app script that exists"),
        Rule("python-syntax", ERROR, "-", "the app's modules compile (a file nothing runs: warning)"),
        Rule("prebuilt-provider", WARNING, "-", "terraformProviders agrees with the provider bindings the app imports"),
        Rule("stack-call", ERROR, "001-1", "stacks and constructs are created with arguments their __init__ takes"),
        Rule("stack-name", WARNING, "001-4", "the stack's name is built from the environment suffix, not a literal"),
        Rule("import-path", ERROR, "002-2", "the app's imports resolve on the path Python runs it with"),
        Rule("framework-imports", ERROR, "-", "sources import the framework the project installs (cdktf or cdktn)"),
        Rule("builtin-shadowing", WARNING, "001-3", "no parameter shadows a Python builtin (id, type, ...)"),
        Rule("stack-provider", ERROR, "002-1", "every TerraformStack that creates resources has its own provider"),
        Rule("construct-scope", ERROR, "002-4", "constructs are created with self as scope, not the outer scope"),
        Rule("security-group-rule", ERROR, "002-3", "security group rules are resources, not nested-block classes"),
        Rule("lambda-imports", ERROR, "002-8", "a function's code imports only what the runtime and its package hold"),
        Rule("provider-import", ERROR, "-", "imports of cdktf and provider bindings name what they have"),
        Rule("provider-arguments", ERROR, "-", "classes of the bindings get the arguments and value shapes they take"),
        Rule("lambda-package", ERROR, "002-5", "lambda deployment packages exist, are zips, and images are built"),
        Rule("lambda-handler", ERROR, "-", "a function's handler names a module and function its package has"),
        Rule("lambda-environment", ERROR, "-", "a function sets no environment variable Lambda reserves"),
        Rule("environment-tag", WARNING, "003-2", "the Environment tag comes from a parameter, not a literal"),
        Rule("hard-coded-ids", ERROR, "-", "no literal account ids, ARNs, regions or availability zones in resources"),
        Rule("secret-literal", WARNING, "-", "no literal passwords or secrets given to resources"),
        # Synthesized stacks
        Rule("synth", ERROR, "-", "the app synthesizes"),
        Rule("remote-backend", WARNING, "001-2", "every stack keeps its state in a remote backend"),
        Rule("state-encryption", WARNING, "001-2", "the S3 backend encrypts the state"),
        Rule("state-locking", WARNING, "001-2, 003-3", "the S3 backend locks the state (use_lockfile, dynamodb_table)"),
        Rule("name-suffix", ERROR, "002-6", "physical resource names carry the environment suffix"),
        Rule("placeholder", ERROR, "002-7", "no placeholder zone ids (an error), example domains or account ids"),
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
            source, table = pyproject, _read_toml(pyproject).get("tool", {})
            table = table.get("tap-doctor", {}) if isinstance(table, dict) else {}
        else:
            return cls()
        return cls._from_table(table, source.name)

    @classmethod
    def _from_table(cls, table: object, source: str) -> "Settings":
        if not isinstance(table, dict):
            raise SettingsError(f"{source}: the tap-doctor settings must be a table, not {table!r}")
        known = {"disable", "severity", "fixed-names", "load"}
        unknown = sorted(set(table) - known)
        if unknown:
            raise SettingsError(f"{source}: unknown tap-doctor setting {', '.join(unknown)} (known: {sorted(known)})")
        disable = _strings(table.get("disable", []), f"{source}: disable")
        fixed_names = _strings(table.get("fixed-names", []), f"{source}: fixed-names")
        severity, load = table.get("severity", {}), table.get("load", {})
        for name, value in (("severity", severity), ("load", load)):
            if not isinstance(value, dict):
                raise SettingsError(f"{source}: {name} must be a table ([{name}]), not {value!r}")
        for rule in disable | set(severity):
            if rule not in RULES:
                raise SettingsError(f"{source}: no tap-doctor rule {rule!r} (rules: {', '.join(RULES)})")
        for rule, level in severity.items():
            if level not in (ERROR, WARNING):
                raise SettingsError(f"{source}: severity of {rule} must be 'error' or 'warning', not {level!r}")
        unknown = sorted(set(load) - {"peak-requests-per-second", "function-duration-ms"})
        if unknown:
            raise SettingsError(f"{source}: unknown [load] setting {', '.join(unknown)}")
        for name, value in load.items():
            if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= LARGEST_LOAD:
                raise SettingsError(
                    f"{source}: [load] {name} must be a positive number up to {LARGEST_LOAD:g}, not {value!r}"
                )
        return cls(
            disable=disable,
            severity=dict(severity),
            fixed_names=fixed_names,
            peak_requests_per_second=load.get("peak-requests-per-second"),
            function_duration_ms=float(load.get("function-duration-ms", 1000)),
        )

    def apply(self, findings: list[Finding]) -> list[Finding]:
        """The findings of enabled rules, at the project's severity."""
        kept = [found for found in findings if found.rule not in self.disable]
        for found in kept:
            found.severity = self.severity.get(found.rule, found.severity)
        return kept


def _read_toml(path: Path) -> dict:
    try:
        return tomllib.loads(path.read_bytes().decode())
    except OSError as error:
        raise SettingsError(f"{path.name} cannot be read ({error.strerror or error})") from None
    except UnicodeDecodeError:
        raise SettingsError(f"{path.name} is not UTF-8 text, so not TOML") from None
    except tomllib.TOMLDecodeError as error:
        raise SettingsError(f"{path.name} is not valid TOML: {error}") from None


def _strings(value: object, name: str) -> set[str]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise SettingsError(f"{name} must be a list of strings, not {value!r}")
    return set(value)
