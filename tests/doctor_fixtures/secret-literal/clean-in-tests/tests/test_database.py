def test_the_cluster_takes_its_password_from_the_secret():
    config = {"master_password": "TestOnly-Passw0rd", "secret_string": '{"password": "TestOnly-Passw0rd"}'}
    assert config["master_password"] in config["secret_string"]
