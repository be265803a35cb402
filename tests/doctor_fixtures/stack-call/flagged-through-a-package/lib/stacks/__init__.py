"""The app's stacks."""

from .vpc_stack import VpcStack

__all__ = ["VpcStack"]
