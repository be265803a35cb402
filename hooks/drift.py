"""Drift of a deployed stack as a script: `python drift.py cdktf.out/stacks/TapStackprod --summary drift.md`.

Generated projects' scheduled workflow (.github/workflows/drift.yml) runs it as `python tools/drift.py`.
"""

import sys

from tap_template.drift import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
