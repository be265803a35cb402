"""Random answer sets that the questionnaire accepts, drawn from the whole of what each
question allows (unicode, YAML's and TOML's special characters, the edges of each range),
for the property test (tests/test_random_answers.py). One seed gives one answer set."""

import ipaddress
import random
import string

from rendering import ALL_SERVICES, COPIER_YML, PRESET_ANSWERS, with_needs

SEED_VARIABLE = "TAP_TEMPLATE_SEED"
REGIONS = COPIER_YML["_aws_regions"]
PRESETS = list(COPIER_YML["preset"]["choices"].values())
# What a tag value may hold (copier.yml): letters and digits of any script, spaces, _ . : / = + - @.
TAG_CHARACTERS = string.ascii_letters + string.digits + "éüßçÅ日本_ .:/=+-@"
# Printable characters that YAML, TOML, Python or Jinja would read as their own, unquoted.
DESCRIPTION_CHARACTERS = string.ascii_letters + " \"'\\#:{}%[]&*!|>@`,-éà€日本✓"
PRIVATE_RANGES = [ipaddress.ip_network(block) for block in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16")]
RESERVED_DOMAINS = ("example", "test", "invalid", "localhost")
TEMPLATE_TAGS = {
    "environment",
    "repository",
    "author",
    "prnumber",
    "team",
    "owner",
    "costcenter",
    "application",
    "managedby",
}
# uv installs the project's Python: only the machine's own, 3.11, is here without a download.
UV_PYTHON = "3.11"


def random_answers(seed: int) -> dict:
    rng = random.Random(seed)
    answers: dict = {"project_name": name(rng, 2, 20, hyphens=True)}
    preset = rng.choice(PRESETS)
    if preset != "custom":
        answers["preset"] = preset
        services = PRESET_ANSWERS[preset]["services"]
    else:
        services = set(with_needs(*rng.sample(ALL_SERVICES, rng.randint(1, len(ALL_SERVICES)))))
    answers["services"] = [service for service in ALL_SERVICES if service in services]
    answers["aws_region"] = rng.choice(REGIONS)
    secondary = rng.sample([region for region in REGIONS if region != answers["aws_region"]], rng.choice([0, 0, 1, 2]))
    answers["secondary_regions"] = [region for region in REGIONS if region in secondary]
    answers["description"] = (
        "".join(rng.choice(DESCRIPTION_CHARACTERS) for _ in range(rng.randint(1, 80))).strip() or "x"
    )
    answers["environment_suffix"] = name(rng, 1, 10, hyphens=False)
    if "networking" in services:
        answers["vpc_cidr"] = vpc_cidr(rng, len(secondary))
        answers["nat_gateways"] = rng.choice(["one-per-az", "single"])
    if "lambda" in services:
        answers["lambda_reserved_concurrency"] = rng.choice([0, 1, rng.randint(2, 1000)])
        answers["lambda_memory_mb"] = rng.choice([128, 10240, rng.randint(128, 10240)])
    if "aurora" in services:
        low = rng.randint(1, 64) / 2
        answers["aurora_min_capacity"] = low
        answers["aurora_max_capacity"] = max(1.0, rng.randint(int(low * 2), 512) / 2)
    if "dns" in services:
        answers["dns_zone_name"] = domain(rng)
    if "dms" in services:
        answers["dms_source_engine"] = rng.choice(["postgres", "mysql", "oracle", "sqlserver"])
        answers["dms_multi_az"] = rng.choice([True, False])
        answers["dms_create_vpc_role"] = rng.choice([True, False])
    answers["state_bucket"] = bucket(rng)
    answers["state_bucket_region"] = rng.choice(REGIONS)
    answers["state_locking"] = rng.choice(["s3-native", "dynamodb", "both"])
    if answers["state_locking"] != "s3-native":
        answers["lock_table"] = "".join(
            rng.choice(string.ascii_letters + string.digits + "_.-") for _ in range(rng.randint(3, 40))
        )
    for tag in ("owner", "cost_center", "application"):
        answers[tag] = tag_value(rng, 1, 60)
    keys = {tag_value(rng, 1, 20).strip() or "k" for _ in range(rng.randint(0, 3))}
    # One key per case-insensitive name (IAM compares them so), none of AWS's or the template's.
    keys = {key.lower(): key for key in keys if not key.lower().startswith("aws:") and key.lower() not in TEMPLATE_TAGS}
    keys = set(keys.values())
    answers["extra_tags"] = {key: tag_value(rng, 0, 30) for key in keys}
    answers["framework"] = rng.choice(["cdktf", "cdktn"])
    answers["aws_provider_major"] = 6 if answers["framework"] == "cdktn" else rng.choice([6, 5])
    answers["package_manager"] = rng.choice(["pipenv", "pipenv", "uv"])
    answers["python_version"] = (
        UV_PYTHON if answers["package_manager"] == "uv" else rng.choice(["3.11", "3.12", "3.13"])
    )
    answers["ci"] = rng.choice(["github-actions", "none"])
    if answers["ci"] == "github-actions":
        account = "".join(rng.choice(string.digits) for _ in range(12))
        answers["aws_role_arn"] = rng.choice(["", f"arn:aws:iam::{account}:role/{name(rng, 2, 30, hyphens=True)}"])
    return answers


def name(rng: random.Random, shortest: int, longest: int, hyphens: bool) -> str:
    """A name of lowercase letters and digits (and single hyphens), from a letter."""
    length = rng.randint(shortest, longest)
    text = rng.choice(string.ascii_lowercase)
    while len(text) < length:
        last = len(text) == length - 1
        choices = string.ascii_lowercase + string.digits + ("-" if hyphens and not last and text[-1] != "-" else "")
        text += rng.choice(choices)
    return text


def tag_value(rng: random.Random, shortest: int, longest: int) -> str:
    """A tag value that is not blank (when it may not be empty)."""
    while True:
        value = "".join(rng.choice(TAG_CHARACTERS) for _ in range(rng.randint(shortest, longest)))
        if value.strip() or shortest == 0:
            return value


def vpc_cidr(rng: random.Random, secondary: int) -> str:
    """A private block from /16 to /20 with room for the `secondary` VPCs after it."""
    while True:
        prefix = rng.randint(16, 20)
        private = rng.choice(PRIVATE_RANGES)
        blocks = list(private.subnets(new_prefix=prefix)) if prefix >= private.prefixlen else []
        if len(blocks) > secondary:
            return str(blocks[rng.randrange(len(blocks) - secondary)])


def domain(rng: random.Random) -> str:
    labels = [name(rng, 1, 12, hyphens=True) for _ in range(rng.randint(1, 3))]
    top = "".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(2, 6)))
    return ".".join([*labels, top if top not in RESERVED_DOMAINS else "io"])


def bucket(rng: random.Random) -> str:
    """An S3 bucket name that S3 accepts: no IP form, no reserved prefix or suffix, no '..', '.-', '-.'."""
    while True:
        text = name(rng, 3, 63, hyphens=True)
        text = "".join("." if char == "-" and rng.random() < 0.3 else char for char in text)
        reserved = text.startswith(("xn--", "sthree-", "amzn-s3-demo-")) or text.endswith(("-s3alias", ".mrap"))
        if not reserved and not any(bad in text for bad in ("..", ".-", "-.", "--")):
            return text
