"""Literals in the app's code that tie it to one account or region, or give away a secret
(the hard-coded-ids and secret-literal rules).

A string reaches a resource as a literal, an f-string (its formatted parts evaluated where
they are literals too, unknown otherwise), a name assigned in the same function or at
module level, an item of a list or dict, or json.dumps of those. Only calls of provider
bindings (cdktf_cdktf_provider_aws, imports.aws) count as resources; the project's own
stacks and constructs take literals as parameters, which is where they belong.
"""

import ast
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from tap_template.findings import ERROR, WARNING, Finding
from tap_template.modules import called_name
from tap_template.stacks import PLACEHOLDERS, REGION

if TYPE_CHECKING:
    from tap_template.sources import Code

# The account id pattern of the placeholder stack rule, one definition for both.
PLACEHOLDER_ACCOUNT = next(pattern for pattern, what, _ in PLACEHOLDERS if "account" in what)
# An ARN whose account field is a 12-digit literal: arn:partition:service:region:account:resource.
ARN = re.compile(r"arn:aws[\w-]*:(?P<service>[\w-]+):(?P<region>[^:\s]*):(?P<account>\d{12}):(?P<resource>[^\s\"']*)")
AVAILABILITY_ZONE = re.compile("(?P<region>" + REGION.pattern.removeprefix(r"\b").removesuffix(r"\b") + ")[a-z]")
# Accounts that AWS owns and documents for customers to name: Elastic Load Balancing's
# log delivery accounts by region, the Lambda Insights and Serverless Application
# Repository publishers. An ARN or principal of theirs is right as a literal.
AWS_ACCOUNTS = {
    "127311923021", "033677994240", "027434742980", "797873946194",  # ELB: us-east-1/2, us-west-1/2
    "098369216593", "754344448648", "582318560864", "600734575887", "383597477331",  # af, ap-east, ap-ne-1/2/3
    "114774131450", "783225319266", "718504428378", "985666609251", "054676820928",  # ap-se-1/2, ap-s-1, ca, eu-c
    "156460612806", "652711504416", "009996457667", "897822967062", "635631232127",  # eu-w-1/2/3, eu-n, eu-s
    "076674570225", "507241528517", "048591011584", "190560391635",  # me-s, sa-e, us-gov-w/e
    "580247275435",  # Lambda Insights extension layers
    "297356227824",  # Serverless Application Repository (Secrets Manager rotation apps)
}  # fmt: skip
# Services whose ARNs name resources other accounts publish (a public layer, an AWS
# Marketplace product): a foreign account there is right.
SHARED_ARN = re.compile(r"^(lambda:.*:layer:|serverlessrepo:|aws-marketplace:|ssm:.*:parameter/aws/)")
# The arguments that name something the service must find in the deploying account:
# a role to pass, a policy to attach, a certificate to serve. A placeholder account there
# fails the deploy (iam:PassRole, AttachRolePolicy and the listener find nothing).
PASSED_ROLE = re.compile(r"(^|_)role(_arn)?$|^service_role$|^execution_role_arn$|^task_role_arn$|^iam_role_arn$")
IN_ACCOUNT = (
    (PASSED_ROLE, re.compile(r"^iam$"), re.compile(r"^role/"), "a role to pass, which iam:PassRole finds only in"),
    (re.compile(r"^policy_arns?$"), re.compile(r"^iam$"), re.compile(r"^policy/"), "a policy to attach, found only in"),
    (
        re.compile(r"^certificate_arn$"),
        re.compile(r"^acm$"),
        re.compile(r"^certificate/"),
        "a certificate, found only in",
    ),
)
# Arguments that take an account id.
ACCOUNT_ARGUMENTS = {"account_id", "account", "aws_account_id", "source_account", "owner_account_id"}
# Provider arguments that pin accounts on purpose.
PROVIDER_ACCOUNT_ARGUMENTS = {"allowed_account_ids", "forbidden_account_ids"}
# Where a region in a text is a region the code uses (not part of a name, such as a bucket's
# "data-us-east-1-dev"): the whole text, an ARN's region, a service endpoint, a --region
# option or a region setting in a script or configuration.
_REGION = REGION.pattern.removeprefix(r"\b").removesuffix(r"\b")
REGION_USE = re.compile(
    rf"^(?P<whole>{_REGION})$|arn:aws[\w-]*:[\w-]+:(?P<arn>{_REGION}):|com\.amazonaws\.(?P<service>{_REGION})\."
    rf"|\.(?P<endpoint>{_REGION})\.amazonaws\.com|region[\"']?\s*[=:]?\s*[\"']?(?P<setting>{_REGION})\b",
    re.IGNORECASE,
)
ZONE_ARGUMENT = re.compile(r"(^|_)(availability_zones?|azs?)$")
# Arguments that hold a secret, and the keys of a secret's JSON that do.
SECRET_ARGUMENT = re.compile(
    r"password$|^(secret|secret_string|token|auth_token|access_token|api_key|client_secret|secret_key|"
    r"secret_access_key|private_key)$"
)
SECRET_KEY = re.compile(r"password|passwd|secret|token|api_?key|private_?key", re.IGNORECASE)
# RDS refuses a master password shorter than 8 or with one of these (CreateDBInstance,
# CreateDBCluster: "Only printable ASCII characters besides '/', '@', '\"', ' ' may be used").
RDS_PASSWORD_CLASSES = {"RdsCluster", "DbInstance"}
RDS_PASSWORD_ARGUMENTS = {"master_password", "password"}
RDS_SHORTEST_PASSWORD = 8
RDS_REFUSED = set('/@" ')
UNKNOWN = "\x00"  # an f-string's part whose value is not known


@dataclass
class Scope:
    """The names assigned in one function (or a module's top level), with what each takes."""

    assigned: dict[str, list[ast.expr]] = field(default_factory=dict)

    def add(self, target: ast.expr, value: ast.expr) -> None:
        if isinstance(target, ast.Name):
            self.assigned.setdefault(target.id, []).append(value)
        elif isinstance(target, ast.Tuple | ast.List):  # for i, az in enumerate(azs): each name, any item
            for item in target.elts:
                self.add(item, value)


class Literals:
    """The strings an expression of one file may hold, read without running it."""

    def __init__(self, tree: ast.Module) -> None:
        self.module = Scope()
        self.scopes: dict[ast.AST, Scope] = {}
        self.parents: dict[ast.AST, ast.AST] = {}
        for node in ast.walk(tree):
            for child in ast.iter_child_nodes(node):
                self.parents[child] = node
        for node in ast.walk(tree):
            scope = self._scope_of(node)
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    scope.add(target, node.value)
            elif isinstance(node, ast.AnnAssign) and node.value is not None:
                scope.add(node.target, node.value)
            elif isinstance(node, ast.For | ast.comprehension):
                iterated = node.iter
                if isinstance(iterated, ast.Call) and called_name(iterated.func) in {"enumerate", "zip", "sorted"}:
                    iterated = ast.List(elts=list(iterated.args))
                scope.add(node.target, iterated)

    def function_of(self, node: ast.AST) -> ast.AST | None:
        parent = self.parents.get(node)
        while parent is not None and not isinstance(parent, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            parent = self.parents.get(parent)
        return parent

    def _scope_of(self, node: ast.AST) -> Scope:
        function = self.function_of(node)
        return self.module if function is None else self.scopes.setdefault(function, Scope())

    def values(self, name: ast.Name) -> list[ast.expr]:
        function = self.function_of(name)
        local = self.scopes.get(function) if function is not None else None
        if local is not None and name.id in local.assigned:
            return local.assigned[name.id]
        return self.module.assigned.get(name.id, [])

    def texts(self, node: ast.AST, depth: int = 0, strict: bool = False) -> Iterator[tuple[str, ast.AST]]:
        """Each string the expression may hold (an f-string's unknown parts are UNKNOWN),
        with the node that writes it. `strict`: only through names assigned once (a name
        assigned twice, `for az in primary_zones` and `for az in dr_zones`, may hold either)."""
        if depth > 12:
            return
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node.value, node
        elif isinstance(node, ast.JoinedStr):
            yield self.joined(node, depth), node
        elif isinstance(node, ast.Name):
            values = self.values(node)
            for value in values if len(values) == 1 or not strict else []:
                if value is not node:
                    yield from self.texts(value, depth + 1, strict)
        elif isinstance(node, ast.List | ast.Tuple | ast.Set):
            for item in node.elts:
                yield from self.texts(item, depth + 1, strict)
        elif isinstance(node, ast.Dict):
            for value in node.values:
                yield from self.texts(value, depth + 1, strict)
        elif isinstance(node, ast.Subscript):
            yield from self.texts(node.value, depth + 1, strict)
        elif isinstance(node, ast.IfExp):
            yield from self.texts(node.body, depth + 1, strict)
            yield from self.texts(node.orelse, depth + 1, strict)
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            left, right = self.single(node.left, depth + 1), self.single(node.right, depth + 1)
            if left is not None or right is not None:
                yield (left or UNKNOWN) + (right or UNKNOWN), node
        elif isinstance(node, ast.Call) and called_name(node.func) in {"dumps", "jsonencode", "list", "tuple"}:
            for argument in node.args[:1]:
                yield from self.texts(argument, depth + 1, strict)

    def single(self, node: ast.AST, depth: int = 0) -> str | None:
        """The one string an expression holds, or None."""
        if isinstance(node, ast.Constant) and isinstance(node.value, str | int):
            return str(node.value)
        if isinstance(node, ast.JoinedStr):
            return self.joined(node, depth)
        if isinstance(node, ast.Name):
            values = self.values(node)
            return self.single(values[0], depth + 1) if len(values) == 1 and depth < 12 else None
        return None

    def joined(self, node: ast.JoinedStr, depth: int) -> str:
        parts = []
        for part in node.values:
            value = part.value if isinstance(part, ast.FormattedValue) else part
            parts.append(self.single(value, depth + 1) or UNKNOWN)
        return "".join(parts)

    def dict_items(self, node: ast.AST, depth: int = 0) -> Iterator[tuple[str, ast.AST]]:
        """The (key, value) pairs of the dicts an expression may hold (json.dumps of one too)."""
        if depth > 12:
            return
        if isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values, strict=True):
                if isinstance(key, ast.Constant) and isinstance(key.value, str):
                    yield key.value, value
                yield from self.dict_items(value, depth + 1)
        elif isinstance(node, ast.Call) and called_name(node.func) in {"dumps", "jsonencode"} and node.args:
            yield from self.dict_items(node.args[0], depth + 1)
        elif isinstance(node, ast.Name):
            for value in self.values(node):
                yield from self.dict_items(value, depth + 1)


@dataclass
class Call:
    """A call of a provider binding (a resource, data source, struct or the provider)."""

    path: Path
    node: ast.Call
    name: str
    literals: Literals
    # For a call of the project's class or function: the binding call it gives the argument to.
    resource: "Call | None" = None
    resource_at: str = ""  # where the binding call is (file:line)

    @property
    def binding(self) -> "Call":
        """The provider binding's call the argument reaches."""
        return self.resource or self

    def keywords(self) -> Iterator[tuple[str, ast.expr]]:
        for keyword in self.node.keywords:
            if keyword.arg:
                yield keyword.arg, keyword.value

    def keyword(self, name: str) -> ast.expr | None:
        return next((value for arg, value in self.keywords() if arg == name), None)


def binding_calls(code: "Code") -> list[Call]:
    """The calls of provider bindings in the app's files (their classes imported by name,
    or through a binding module: `rds_cluster.RdsCluster(...)`)."""
    from tap_template.sources import PREBUILT_BINDINGS

    calls = []
    for path in code.app_files():
        tree = code.sources[path].tree
        if tree is None:
            continue
        names, modules = set(), set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and not node.level:
                if node.module.startswith(PREBUILT_BINDINGS) or node.module.split(".")[0] == "imports":
                    for alias in node.names:
                        (names if alias.name[:1].isupper() else modules).add(alias.asname or alias.name)
            elif isinstance(node, ast.Import):
                modules |= {
                    (alias.asname or alias.name).split(".")[0]
                    for alias in node.names
                    if alias.name.startswith(PREBUILT_BINDINGS)
                }
        if not names and not modules:
            continue
        literals = Literals(tree)
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = called_name(node.func)
            root = node.func
            while isinstance(root, ast.Attribute):
                root = root.value
            if name in names or (name[:1].isupper() and isinstance(root, ast.Name) and root.id in modules):
                calls.append(Call(path, node, name, literals))
    return calls


def uses(code: "Code", calls: list[Call]) -> list[tuple[Call, str, ast.expr]]:
    """(call, argument, value): each keyword argument of a binding call, and each keyword
    argument of a call of the project's class or function whose parameter a binding call
    takes as it is (AlbStack(certificate_arn="arn:...") whose __init__ passes
    certificate_arn=certificate_arn to LbListener): one level through the project's code."""
    found = [(call, argument, value) for call in calls for argument, value in call.keywords()]
    taken: dict[tuple[ast.AST, str], list[tuple[Call, str]]] = {}
    for call in calls:
        function = call.literals.function_of(call.node)
        if not isinstance(function, ast.FunctionDef):
            continue
        parameters = {arg.arg for arg in function.args.args + function.args.kwonlyargs}
        for argument, value in call.keywords():
            if isinstance(value, ast.Name) and value.id in parameters:
                taken.setdefault((function, value.id), []).append((call, argument))
    if not taken:
        return found
    definitions = code.definitions
    literals_of = {call.path: call.literals for call in calls}
    for path, tree in definitions.trees.items():
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and node.keywords):
                continue
            key = definitions.callee(path, node.func)
            function = _function_of_callee(definitions, key) if key else None
            if function is None:
                continue
            for keyword in node.keywords:
                for call, argument in taken.get((function, keyword.arg or ""), []):
                    literals = literals_of.setdefault(path, Literals(tree))
                    at = code.where(call.path, call.node)
                    found.append((Call(path, node, key[1], literals, call, at), argument, keyword.value))
    return found


def _function_of_callee(definitions, key) -> ast.FunctionDef | None:
    """A project function, or the __init__ a project class (or its nearest project base) defines."""
    if key in definitions.functions:
        return definitions.functions[key]
    for _, node in definitions.bases(key):
        init = next((item for item in node.body if isinstance(item, ast.FunctionDef) and item.name == "__init__"), None)
        if init is not None:
            return init
    return None


def provider_regions(calls: list[Call]) -> list[str | None]:
    """The region of each AwsProvider of the app: the literal, or None when it is not one."""
    regions = []
    for call in calls:
        if call.name == "AwsProvider":
            value = call.keyword("region")
            region = call.literals.single(value) if value is not None else None
            regions.append(region if region and UNKNOWN not in region and REGION.fullmatch(region) else None)
    return regions


def check_literals(code: "Code") -> list[Finding]:
    calls = binding_calls(code)
    findings = check_hard_coded_ids(code, calls) + check_secret_literals(code, calls)
    unique: dict[tuple[str, str, str], Finding] = {}
    for found in findings:  # one finding per place and message (a list given twice, a name used twice)
        unique.setdefault((found.rule, found.location, found.severity), found)
    return list(unique.values())


def check_hard_coded_ids(code: "Code", calls: list[Call]) -> list[Finding]:
    regions = provider_regions(calls)
    fixed = bool(regions) and all(regions)  # every provider's region is a literal: the app's regions are known
    findings = []
    for call, argument, value in uses(code, calls):
        # The provider and its blocks (assume_role) name accounts and regions on purpose.
        if call.binding.name.startswith("AwsProvider") or argument in PROVIDER_ACCOUNT_ARGUMENTS:
            continue
        texts = list(call.literals.texts(value))
        sure = {(text, id(node)) for text, node in call.literals.texts(value, strict=True)}
        findings += _account_findings(code, call, argument, texts, sure)
        if ZONE_ARGUMENT.search(argument):
            findings += _zone_findings(code, call, argument, texts, regions if fixed else None, sure)
        elif not fixed and regions:
            findings += _region_findings(code, call, argument, texts)
    return findings


def _given(call: Call, argument: str, node: ast.AST) -> str:
    """The call and argument a literal reaches, with the call's line when the literal is
    written elsewhere (a constant)."""
    line = getattr(node, "lineno", call.node.lineno)
    inside = call.node.lineno <= line <= (call.node.end_lineno or call.node.lineno)
    given = f"{call.binding.name}({argument}=...)" + ("" if inside or call.resource else f" at line {call.node.lineno}")
    if call.resource:
        given += f" in {call.resource_at}, through {call.name}(...)" + (
            "" if inside else f" at line {call.node.lineno}"
        )
    return given


def _location(code: "Code", call: Call, node: ast.AST) -> str:
    """Where a literal is written: its own line (a constant's), in the call's file."""
    path = call.path
    return code.where(path, node if getattr(node, "lineno", None) else call.node)


def _account_findings(
    code: "Code", call: Call, argument: str, texts: list[tuple[str, ast.AST]], sure: set[tuple[str, int]]
) -> list[Finding]:
    """`sure`: the texts the argument surely holds (through names assigned once)."""
    findings = []
    for text, node in texts:
        if argument in ACCOUNT_ARGUMENTS and re.fullmatch(r"\d{12}", text):
            accounts = [(text, None)]
        else:
            accounts = [(arn["account"], arn) for arn in ARN.finditer(text)]
        for account, arn in accounts:
            if account in AWS_ACCOUNTS or (
                arn and SHARED_ARN.match(f"{arn['service']}:{arn['region']}:{arn['resource']}")
            ):
                continue
            shown = (arn[0] if arn else account).replace(UNKNOWN, "{...}")
            if PLACEHOLDER_ACCOUNT.fullmatch(account):
                needed = arn and next(
                    (
                        what
                        for names, service, resource, what in IN_ACCOUNT
                        if names.search(argument) and service.match(arn["service"]) and resource.match(arn["resource"])
                    ),
                    None,
                )
                if not needed or (text, id(node)) not in sure:
                    continue  # it lands in the synthesized stack: the placeholder rule reports it there
                findings.append(
                    Finding(
                        "hard-coded-ids",
                        ERROR,
                        f"{_given(call, argument, node)} is {shown}: {needed} the deploying account, and "
                        f"{account} is a placeholder, so the deploy fails",
                        _location(code, call, node),
                        "pass the ARN of the role, policy or certificate the stack creates (role.arn), or build "
                        "it from DataAwsCallerIdentity's account_id",
                    )
                )
                continue
            region = arn["region"] if arn and REGION.fullmatch(arn["region"]) else None
            findings.append(
                Finding(
                    "hard-coded-ids",
                    WARNING,
                    f"{_given(call, argument, node)} names account {account}"
                    + (f" and region {region}" if region else "")
                    + f" as a literal ({shown}): the project works only there",
                    _location(code, call, node),
                    "read the account from DataAwsCallerIdentity (account_id) and the region from DataAwsRegion or "
                    "the stack's region parameter, or refer to the resource's own arn",
                )
            )
    return findings


def _zone_findings(
    code: "Code",
    call: Call,
    argument: str,
    texts: list[tuple[str, ast.AST]],
    regions: list[str | None] | None,
    sure: set[tuple[str, int]],
) -> list[Finding]:
    """The literal zones of an argument, one finding per place that writes them (a list of three: one)."""
    zones: dict[ast.AST, list[str]] = {}
    surely: set[str] = set()  # the zones the argument surely holds
    for text, node in texts:
        if AVAILABILITY_ZONE.fullmatch(text):
            zones.setdefault(_written_in(call.literals, node), []).append(text)
            if (text, id(node)) in sure:
                surely.add(text)
    findings = []
    hint = "take the zones from DataAwsAvailabilityZones (Fn.element(zones.names, index)) in the provider's region"
    for node, names in zones.items():
        shown = ", ".join(dict.fromkeys(names))
        elsewhere = sorted(
            {AVAILABILITY_ZONE.fullmatch(name)["region"] for name in names if name in surely} - set(regions or [])
        )
        if regions is not None and elsewhere:
            providers = sorted(set(map(str, regions)))
            configured = f"provider{'s are' if len(providers) > 1 else ' is'} in {', '.join(providers)}"
            findings.append(
                Finding(
                    "hard-coded-ids",
                    ERROR,
                    f"{_given(call, argument, node)} is given availability zone {shown}, in "
                    f"{', '.join(elsewhere)}, but the app's AWS {configured}: no such zone there, so the deploy fails",
                    _location(code, call, node),
                    hint,
                )
            )
            continue
        regions_of = ", ".join(sorted({AVAILABILITY_ZONE.fullmatch(name)["region"] for name in names}))
        why = (
            "the provider's region is a literal too, so this works, but only there"
            if regions is not None
            else f"it works only when the stack's region is {regions_of}"
        )
        findings.append(
            Finding(
                "hard-coded-ids",
                WARNING,
                f"{_given(call, argument, node)} is given the literal availability "
                f"zone{'s' if len(set(names)) > 1 else ''} {shown}: {why}",
                _location(code, call, node),
                hint,
            )
        )
    return findings


def _written_in(literals: Literals, node: ast.AST) -> ast.AST:
    """The list or tuple a literal is an item of (to report the list once), or the literal."""
    parent = literals.parents.get(node)
    return parent if isinstance(parent, ast.List | ast.Tuple) else node


def _region_findings(code: "Code", call: Call, argument: str, texts: list[tuple[str, ast.AST]]) -> list[Finding]:
    if call.binding.name in {"CloudwatchDashboard", "CloudwatchMetricAlarm"}:
        return []  # the region-literal rule compares them with their provider's region
    findings = []
    for text, node in texts:
        if ARN.search(text):
            continue  # an ARN with its account is the account finding's
        matches = list(REGION_USE.finditer(text))
        found = sorted({next(region for region in match.groups() if region) for match in matches})
        if found and not AVAILABILITY_ZONE.fullmatch(text):
            first = matches[0]
            excerpt = text[max(0, first.start() - 30) : first.end() + 30].strip().replace(UNKNOWN, "{...}")
            excerpt = excerpt if excerpt == text.strip() else f"...{excerpt}..."
            findings.append(
                Finding(
                    "hard-coded-ids",
                    WARNING,
                    f"{_given(call, argument, node)} names region {', '.join(found)} as a literal "
                    f"({excerpt!r}), while the stack takes its region from a parameter: "
                    "deployed to another region, it still points there",
                    _location(code, call, node),
                    "use the stack's region parameter (or DataAwsRegion's name)",
                )
            )
    return findings


def check_secret_literals(code: "Code", calls: list[Call]) -> list[Finding]:
    findings = []
    for call, argument, value in uses(code, calls):
        if SECRET_ARGUMENT.search(argument):
            findings += _secret_findings(code, call, argument, value)
    for call in calls:
        secure = call.literals.single(call.keyword("type")) if call.keyword("type") is not None else None
        if call.name == "SsmParameter" and secure == "SecureString" and call.keyword("value") is not None:
            findings += _secret_findings(code, call, "value", call.keyword("value"))
    return findings


def _secret_findings(code: "Code", call: Call, argument: str, value: ast.expr) -> list[Finding]:
    literals = call.literals
    found = []  # (the literal, its node, what holds it)
    whole = _literal_secret(literals, value, formatted="password" in argument)
    if whole is not None and _holds_a_secret(whole[0]):
        found.append((*whole, _given(call, argument, whole[1])))
    elif whole is None:
        for key, item in literals.dict_items(value):
            secret = (
                _literal_secret(literals, item, formatted="pass" in key.lower()) if SECRET_KEY.search(key) else None
            )
            if secret is not None:
                found.append((*secret, f"the {key!r} of {_given(call, argument, secret[1])}"))
    findings = []
    for secret, node, what in found:
        refused = sorted(set(secret) & RDS_REFUSED) + (["non-ASCII"] if not secret.isascii() else [])
        target = call.binding
        rds = target.name in RDS_PASSWORD_CLASSES and argument in RDS_PASSWORD_ARGUMENTS and UNKNOWN not in secret
        restored = any(target.keyword(name) is not None for name in ("snapshot_identifier", "replicate_source_db"))
        if rds and not restored and (len(secret) < RDS_SHORTEST_PASSWORD or refused):
            why = (
                f"{len(secret)} characters, RDS needs at least {RDS_SHORTEST_PASSWORD}"
                if len(secret) < RDS_SHORTEST_PASSWORD
                else f"it holds {', '.join(repr(char) for char in refused)}; RDS takes printable ASCII but '/', '@', "
                "'\"' and space"
            )
            findings.append(
                Finding(
                    "secret-literal",
                    ERROR,
                    f"{what} is a literal password that RDS refuses ({why}), so the deploy fails",
                    _location(code, call, node),
                    "set manage_master_user_password=True (RDS keeps it in Secrets Manager), or pass a "
                    "random_password's result (override_special without / @ \" and space)",
                )
            )
            continue
        findings.append(
            Finding(
                "secret-literal",
                WARNING,
                f"{what} is a secret written in the code: everyone who can read the repository knows it",
                _location(code, call, node),
                "set manage_master_user_password=True for RDS, or generate it (random_password, "
                "SecretsmanagerRandomPassword) or read it from a TerraformVariable(sensitive=True)",
            )
        )
    return findings


def _holds_a_secret(text: str) -> bool:
    """Whether a literal is a secret: any text but a JSON object without a secret in it
    ('{"username": "admin"}' is none)."""
    try:
        parsed = json.loads(text)
    except ValueError:
        return True
    if not isinstance(parsed, dict):
        return True
    return any(SECRET_KEY.search(str(key)) and isinstance(item, str) and item for key, item in parsed.items())


def _literal_secret(literals: Literals, value: ast.expr, formatted: bool, depth: int = 0) -> tuple[str, ast.AST] | None:
    """The secret an expression writes in the code: a non-empty literal (through names), or,
    for a password (`formatted`), an f-string with literal parts whose other parts are no
    generated value (f"Secure{suffix}2024"; a connection string's f-string is no secret)."""
    if isinstance(value, ast.Name):
        values = literals.values(value)
        return _literal_secret(literals, values[0], formatted, depth + 1) if len(values) == 1 and depth < 12 else None
    if isinstance(value, ast.Constant) and isinstance(value.value, str) and value.value.strip():
        return value.value, value
    if isinstance(value, ast.JoinedStr) and formatted:
        fixed = "".join(part.value for part in value.values if isinstance(part, ast.Constant))
        generated = any(
            isinstance(node, ast.Call | ast.Attribute | ast.Subscript)
            for part in value.values
            if isinstance(part, ast.FormattedValue)
            for node in ast.walk(part.value)
        )
        if fixed.strip() and not generated:
            return literals.joined(value, 0), value
    return None
