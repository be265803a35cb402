"""The API function. It runs on the Lambda runtime: the standard library and boto3 only.

What it uses comes from its environment (lib/constructs/lambda_function.py sets it from
each service's `access`): TABLE_NAME, a DynamoDB table to record each request in;
DATABASE_CLUSTER_ARN, an Aurora cluster to query through the RDS Data API.
"""

import json
import os
import time
import uuid

import boto3

# Health checks (the DNS failover's among them) ask this path; it answers without a database.
HEALTH_PATH = "/health"


def handler(event: dict, context: object) -> dict:
    """Answers a request with a new id, after recording it in the table if there is one."""
    if event.get("rawPath") == HEALTH_PATH:
        return respond({"status": "ok", "region": os.environ.get("AWS_REGION")})
    body = {"id": str(uuid.uuid4())}
    if "TABLE_NAME" in os.environ:
        table = boto3.resource("dynamodb").Table(os.environ["TABLE_NAME"])
        table.put_item(Item={"id": body["id"], "received_at": int(time.time())})
    if "DATABASE_CLUSTER_ARN" in os.environ:
        # SQL over HTTPS with IAM and the secret: no driver and no connection pool.
        result = boto3.client("rds-data").execute_statement(
            resourceArn=os.environ["DATABASE_CLUSTER_ARN"],
            secretArn=os.environ["DATABASE_SECRET_ARN"],
            database=os.environ["DATABASE_NAME"],
            sql="SELECT now()::text",
        )
        body["database_time"] = result["records"][0][0]["stringValue"]
    return respond(body)


def respond(body: dict) -> dict:
    return {
        "statusCode": 200,
        "headers": {"Content-Type": "application/json"},
        "body": json.dumps(body),
    }
