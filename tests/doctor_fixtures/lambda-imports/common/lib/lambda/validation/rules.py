def valid(client):
    return client is not None
