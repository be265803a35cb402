import os

from cdktf import App

from stacks.tap_stack import TapStack

suffix = os.environ.get("ENVIRONMENT_SUFFIX", "dev")
app = App()
TapStack(app, f"TapStack{suffix}", environment_suffix=suffix, aws_region="us-east-1")
app.synth()
