def connect():
    raise NotImplementedError
