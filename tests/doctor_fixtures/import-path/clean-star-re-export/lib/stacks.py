"""The stacks of the app, under one name."""

from lib.tap_stack import *  # noqa: F403
