import os

from cdktf import App

from lib import stacks
from lib.tap_stack import TapStack

suffix = os.environ.get("ENVIRONMENT_SUFFIX", "dev")
app = App()
TapStack(app, f"TapStack{suffix}", environment_suffix=suffix, aws_region="us-east-1")
stacks.VpcStack(app, f"VpcStack{suffix}", cidr="10.1.0.0/16")
app.synth()
