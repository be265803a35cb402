"""The app lives in lib/: Python puts lib/ first on sys.path, so `stacks` is found there."""

import os

from cdktf import App
from stacks.vpc_stack import VpcStack

suffix = os.environ.get("ENVIRONMENT_SUFFIX", "dev")
app = App()
VpcStack(app, f"TapStack{suffix}", environment_suffix=suffix)
app.synth()
