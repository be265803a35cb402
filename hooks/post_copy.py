"""Copier's post-copy task and post-update migration: verify the generated project (run in its folder).

It runs with the Python that runs copier and needs nothing but the standard library.
"""

import sys

from tap_template.verify import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
