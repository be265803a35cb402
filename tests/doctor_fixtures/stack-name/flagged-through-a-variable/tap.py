import os

from cdktf import App

from lib.tap_stack import TapStack

suffix = os.environ.get("ENVIRONMENT_SUFFIX", "dev")
app = App()
STACK_NAME = "tap"
TapStack(app, STACK_NAME, environment_suffix=suffix, aws_region="us-east-1")
app.synth()
