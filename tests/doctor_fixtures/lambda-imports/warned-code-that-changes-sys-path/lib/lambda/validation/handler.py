import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "deps"))

import psycopg2  # noqa: E402


def main(event, context):
    return json.dumps(psycopg2.connect().closed)
