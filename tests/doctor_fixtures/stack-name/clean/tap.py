import os

from cdktf import App

from lib.tap_stack import TapStack

suffix = os.environ.get("ENVIRONMENT_SUFFIX", "dev")
app = App()
stack_name = f"TapStack{suffix}"
TapStack(app, stack_id=stack_name, environment_suffix=suffix, aws_region="us-east-1")
app.synth()
