from awsglue.context import GlueContext  # noqa: F401
