"""The deployed stack's outputs, for every integration test."""

import json

import pytest

from tests.integration.deployed import OUTPUTS_FILE


@pytest.fixture(scope="module")
def outputs() -> dict:
    if not OUTPUTS_FILE.is_file():
        pytest.skip(f"no deployed stack to check: {OUTPUTS_FILE} does not exist")
    data = json.loads(OUTPUTS_FILE.read_text())
    # `cdktf deploy --outputs-file` nests the outputs under the stack's name.
    if len(data) == 1 and isinstance(next(iter(data.values())), dict):
        data = next(iter(data.values()))
    return data
