import pytest
from moto import mock_aws  # noqa: F401


def test_main():
    pytest.skip('runs in CI')
