def test_the_subnets_spread_over_zones():
    subnet = {"availability_zone": "us-east-1a", "role": "arn:aws:iam::123456789012:role/probe-role"}
    assert subnet["availability_zone"].endswith("a")
