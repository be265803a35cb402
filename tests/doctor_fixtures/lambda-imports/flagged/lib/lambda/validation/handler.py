import json

import psycopg2
from psycopg2 import extras  # noqa: F401


def main(event, context):
    return json.dumps(psycopg2.connect().closed)
