"""Local deploy as a script: `python local_aws.py up|test|down` (generated projects: `pipenv run local-up`, ...)."""

import sys

from tap_template.local import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
