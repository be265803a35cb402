def test_the_environment_tag_follows_the_suffix():
    tags = {"Environment": "dev", "Owner": "platform"}
    assert tags["Environment"] == "dev"
