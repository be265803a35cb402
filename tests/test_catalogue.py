"""The service catalogue (copier.yml) is where a service is described: the template's files
hold no other knowledge of it, and their names check out on every system. And the render
compiles each string once."""

import re

import pytest
from jinja2 import Environment

import questionnaire
from rendering import ALL_SERVICES, CATALOGUE, QUESTIONS, TEMPLATE

TEMPLATE_FILES = sorted(path for path in (TEMPLATE / "template").rglob("*") if path.is_file())
# What Windows refuses in a file name (and so in a checkout of this repository).
WINDOWS_FORBIDDEN = re.compile(r'[<>:"|?*\\]')
JINJA_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.S)
# A file may hold conditions on this many services other than its own: the stack wires
# every service, and a few answers of a service shape a file of the project's (.checkov.yaml,
# pyproject.toml).
MOST_FILES_WITH_CONDITIONS = 3


def service_questions(service: str) -> set[str]:
    """The questions Copier asks only when `service` is chosen."""
    when = re.compile(rf"['\"]{service}['\"] in services")
    return {name for name, details in QUESTIONS.items() if when.search(str(details.get("when", "")))}


def conditions_on(service: str, text: str) -> bool:
    """Whether a Jinja tag of `text` decides on `service`: it names it beside `services`,
    or reads one of its questions."""
    questions = service_questions(service)
    for tag in JINJA_TAG.findall(text):
        if re.search(rf"['\"]{service}['\"]", tag) and "services" in tag:
            return True
        if questions & set(re.findall(r"\w+", tag)):
            return True
    return False


def own_file(service: str, path) -> bool:
    """The files that exist only for `service`: its construct, tests, handler folder."""
    return any(conditions_on(service, part) for part in path.relative_to(TEMPLATE / "template").parts)


def test_the_catalogue_describes_every_service_and_only_them():
    assert list(CATALOGUE) == ALL_SERVICES
    for name, service in CATALOGUE.items():
        assert set(service["needs"]) <= set(ALL_SERVICES) - {name}, name
        assert service["emulator"] in ("deploys", "records", "no"), name
        assert (TEMPLATE / "docs" / "services" / f"{name}.md").is_file(), name


@pytest.mark.parametrize("service", ALL_SERVICES)
def test_few_files_besides_its_own_decide_on_a_service(service):
    deciding = [
        str(path.relative_to(TEMPLATE / "template"))
        for path in TEMPLATE_FILES
        if not own_file(service, path) and conditions_on(service, path.read_text(errors="replace"))
    ]
    assert len(deciding) <= MOST_FILES_WITH_CONDITIONS, deciding


def test_conditions_are_seen_where_they_are():
    """The measure above finds a condition in each form the template uses."""
    assert conditions_on("dms", "{%- if 'dms' in services and dms_source_engine == 'oracle' %}")
    assert conditions_on("aurora", "{% if aurora_min_capacity < 1 %}")
    assert conditions_on("networking", "{{ 'x' if 'networking' not in services }}")
    assert not conditions_on("dynamodb", "{%- if state_locking in ['dynamodb', 'both'] %}")
    assert not conditions_on("dns", "{% for name in services %}{{ catalogue[name].summary }}{% endfor %}")


def test_template_file_names_check_out_on_windows():
    forbidden = [
        str(path.relative_to(TEMPLATE))
        for path in TEMPLATE_FILES
        if WINDOWS_FORBIDDEN.search(str(path.relative_to(TEMPLATE / "template")).replace("/", ""))
    ]
    assert not forbidden


def test_compiled_strings_are_kept_between_runs_and_a_bad_cache_is_not_used(tmp_path, monkeypatch):
    monkeypatch.setattr(questionnaire, "COMPILED_CACHE", tmp_path / "jinja")
    first = Environment()
    questionnaire.remember_compiled(first)
    assert first.from_string("{{ 6 * 7 }}").render() == "42"
    (kept,) = (tmp_path / "jinja").iterdir()
    second = Environment()
    second.compile = not_compiled  # the next run: the code comes from the cache
    questionnaire.remember_compiled(second)
    assert second.from_string("{{ 6 * 7 }}").render() == "42"
    kept.write_bytes(b"not marshalled code")
    third = Environment()
    questionnaire.remember_compiled(third)
    assert third.from_string("{{ 6 * 7 }}").render() == "42"
    monkeypatch.setattr(questionnaire, "COMPILED_CACHE", kept / "not-a-folder")
    fourth = Environment()
    questionnaire.remember_compiled(fourth)
    assert fourth.from_string("{{ 6 * 7 }}").render() == "42"


def not_compiled(*arguments):
    raise AssertionError("compiled again")
