from stacks.vpc_stack import VpcStack  # noqa: F401
