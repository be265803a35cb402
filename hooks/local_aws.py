"""Local deploy as a script: `python local_aws.py up|test|down`.

Generated projects run it as `pipenv run local-up` (or `uv run poe local-up`), `local-test`, `local-down`.
"""

import sys

from tap_template.local import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
