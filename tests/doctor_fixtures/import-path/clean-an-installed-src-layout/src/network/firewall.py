class Firewall:
    pass
