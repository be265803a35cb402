import os
import sys

# lib/ on the path: its packages import each other by their own names.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))

from cdktf import App  # noqa: E402

from lib.tap_stack import TapStack  # noqa: E402

suffix = os.environ.get("ENVIRONMENT_SUFFIX", "dev")
app = App()
TapStack(app, f"TapStack{suffix}", environment_suffix=suffix, aws_region="us-east-1")
app.synth()
