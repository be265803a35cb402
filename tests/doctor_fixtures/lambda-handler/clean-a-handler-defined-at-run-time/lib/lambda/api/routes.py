NAMES = ["handler"]


def make(name):
    return lambda event, context: {"statusCode": 200, "body": name}
