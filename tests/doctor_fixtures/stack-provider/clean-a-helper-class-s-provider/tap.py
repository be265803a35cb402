import os

from cdktf import App

from lib.tap_stack import TapStack
from lib.vpc_stack import VpcStack

suffix = os.environ.get("ENVIRONMENT_SUFFIX", "dev")
app = App()
TapStack(app, f"TapStack{suffix}", environment_suffix=suffix, aws_region="us-east-1")
VpcStack(app, f"VpcStack{suffix}")
app.synth()
