"""The stacks an app holds, by name, for the README's table."""

STACKS: dict[str, object] = {}


def record(app: object, stack_id: str) -> None:
    STACKS[stack_id] = app
