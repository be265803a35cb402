"""The constructs' shared parts: physical names."""

from lib.constructs.common import Names


def test_names_carry_project_purpose_and_suffix_and_a_standby_s_region():
    names = Names("shop", "pr42")
    assert names("api") == "shop-api-pr42"
    assert names() == "shop-pr42"
    assert names.in_region("eu-west-1")("api") == "shop-eu-west-1-api-pr42"
