import json

import psycopg2


def main(event, context):
    return json.dumps(psycopg2.connect().closed)
