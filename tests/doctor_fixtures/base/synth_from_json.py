"""Stands in for `cdktf synth` in the tests: writes stack.json (and assets/) to cdktf.out as the synth would."""

import json
import os
import shutil
from pathlib import Path

outdir = Path(os.environ.get("CDKTF_OUTDIR", "cdktf.out"))
stack_dir = outdir / "stacks" / "TapStackdev"
stack_dir.mkdir(parents=True)
shutil.copy("stack.json", stack_dir / "cdk.tf.json")
if Path("assets").is_dir():
    shutil.copytree("assets", stack_dir / "assets")
manifest = {"stacks": {"TapStackdev": {"synthesizedStackPath": "stacks/TapStackdev/cdk.tf.json"}}}
(outdir / "manifest.json").write_text(json.dumps(manifest))
