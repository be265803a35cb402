"""The questionnaire in a real terminal (80x24), answered with the keys a person presses."""

import pexpect
import pytest
import yaml

from interactive import CLEAR_LINE, DOWN, ENTER, PROMPT, answer_all, screen_text, spawn
from rendering import ALL_SERVICES, PRESET_ANSWERS, REQUIRED_ANSWERS

DOMAIN = REQUIRED_ANSWERS["dns"]
CUSTOM = {"services": ["networking", "storage"], "framework": "cdktf"}  # what the prompts show first


def finish(child: pexpect.spawn) -> str:
    """Wait for Copier to end; what it showed. It must end well."""
    child.expect(pexpect.EOF, timeout=120)
    child.close()
    assert child.exitstatus == 0, screen_text(child.before)
    return screen_text(child.before)


def recorded(project) -> dict:
    return yaml.safe_load((project / ".copier-answers.yml").read_text())


@pytest.mark.parametrize("preset", PRESET_ANSWERS)
def test_every_preset_can_be_answered_to_the_end(tmp_path, preset):
    """Copier validates a default before it asks: a preset's questions all have defaults that
    pass, or none (the domain), so each is asked."""
    child = spawn(tmp_path / "project")
    asked = answer_all(child, {"preset": preset, **DOMAIN}, {"preset": "custom"})
    finish(child)
    assert ("dns_zone_name" in asked) == ("dns" in PRESET_ANSWERS[preset]["services"])
    answers = recorded(tmp_path / "project")
    assert {key: answers[key] for key in PRESET_ANSWERS[preset]} == PRESET_ANSWERS[preset]


def test_custom_with_every_service_asks_every_question_of_every_service(tmp_path):
    child = spawn(tmp_path / "project")
    asked = answer_all(child, {"services": ALL_SERVICES, **DOMAIN}, CUSTOM)
    finish(child)
    service_questions = {"vpc_cidr", "nat_gateways", "lambda_memory_mb", "aurora_max_capacity", "dns_zone_name"}
    assert service_questions | {"dms_source_engine", "dms_multi_az", "dms_create_vpc_role"} <= set(asked)
    answers = recorded(tmp_path / "project")
    assert answers["services"] == ALL_SERVICES and answers["dns_zone_name"] == DOMAIN["dns_zone_name"]


def test_a_folder_that_gives_no_project_name_asks_for_one_and_a_refusal_is_asked_again(tmp_path):
    child = spawn(tmp_path / "q")
    child.expect(PROMPT + "Start from")
    child.send(ENTER)
    child.expect(PROMPT + "Project name")
    child.send(ENTER)  # no default to accept
    child.expect("Validation error for question 'project_name': 2-20 of a-z 0-9 -, from a letter")
    child.send(CLEAR_LINE + "payments" + ENTER)
    answer_all(child, {"vpc_cidr": "010.0.0.0/16"}, after="project_name", until="vpc_cidr")
    child.expect("Validation error for question 'vpc_cidr': IPv4 /16 to /20")
    child.send(CLEAR_LINE + "10.1.0.0/16" + ENTER)
    answer_all(child, {}, after="vpc_cidr")
    finish(child)
    answers = recorded(tmp_path / "q")
    assert (answers["project_name"], answers["vpc_cidr"]) == ("payments", "10.1.0.0/16")


def test_cdk_terrain_shows_provider_5_disabled_and_why(tmp_path):
    """Copier skips a single choice's validator when asking: the choice itself is disabled."""
    child = spawn(tmp_path / "project")
    answer_all(child, {"framework": "cdktn"}, CUSTOM, until="framework")
    child.expect(PROMPT + "Major version")
    child.expect("CDK Terrain is built for aws 6")
    child.send(DOWN + ENTER)  # the disabled choice cannot be chosen
    answer_all(child, {}, after="aws_provider_major")
    finish(child)
    assert (recorded(tmp_path / "project")["framework"], recorded(tmp_path / "project")["aws_provider_major"]) == (
        "cdktn",
        6,
    )
