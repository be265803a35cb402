"""tap-doctor as a script: `python tap_doctor.py PATH` (projects: `pipenv run doctor`, `uv run poe doctor`)."""

import sys

from tap_template.doctor import main

if __name__ == "__main__":
    sys.exit(main())
