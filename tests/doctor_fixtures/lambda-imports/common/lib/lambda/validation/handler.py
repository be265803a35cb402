import json

import boto3

from rules import valid


def main(event, context):
    return json.dumps(valid(boto3.client("rds-data")))
