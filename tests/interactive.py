"""The questionnaire as a person answers it: `copier copy` in a pseudo-terminal of 80x24,
driven with the keys a person presses (pexpect)."""

import os
import re
from pathlib import Path

import pexpect

from questionnaire import choice_values
from rendering import QUESTIONS, TEMPLATE

WIDTH, HEIGHT = 80, 24
DOWN, SPACE, ENTER, CLEAR_LINE = "\x1b[B", " ", "\r", "\x15"
# Copier's question mark, then the help text (styled: escape sequences between them).
PROMPT = r"🎤(?:\x1b\[[0-9;]*m)* "


def spawn(destination: Path) -> pexpect.spawn:
    """`copier copy` of the template's working tree, in an 80x24 terminal (no verification)."""
    environment = {**os.environ, "PYTHONWARNINGS": "ignore", "PROMPT_TOOLKIT_NO_CPR": "1"}
    command = ["copy", "--trust", "--skip-tasks", "--vcs-ref", "HEAD", str(TEMPLATE), str(destination)]
    return pexpect.spawn("copier", command, env=environment, dimensions=(HEIGHT, WIDTH), encoding="utf-8", timeout=30)


def screen_text(output: str) -> str:
    """What a terminal shows of `output`, without its escape sequences."""
    return re.sub(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Z0-9]|\r", "", output)


def answer_all(
    child: pexpect.spawn, answers: dict, shown: dict | None = None, after: str | None = None, until: str | None = None
) -> list[str]:
    """Answer the questions Copier asks (those `after` the one named, up to `until`), in order:
    with `answers` where given, otherwise with the default the prompt shows (enter). A select
    or checkbox answer is reached with the keys from what the prompt shows, `shown[question]`.
    Returns the questions asked."""
    asked = []
    remaining = list(QUESTIONS)[list(QUESTIONS).index(after) + 1 :] if after else list(QUESTIONS)
    while remaining:
        patterns = [PROMPT + re.escape(QUESTIONS[name]["help"].strip()) for name in remaining]
        index = child.expect([*patterns, pexpect.EOF])
        if index == len(patterns):
            break
        question, remaining = remaining[index], remaining[index + 1 :]
        asked.append(question)
        if question in answers:
            press(child, question, answers[question], (shown or {}).get(question))
        else:
            child.send(ENTER)
        if question == until:
            break
    return asked


def press(child: pexpect.spawn, question: str, answer, shown) -> None:
    """The keys that answer `question` with `answer`, its prompt showing `shown` selected."""
    details = QUESTIONS[question]
    if details.get("type") == "bool":
        child.send("y" if answer else "n")
    elif details.get("multiselect"):
        toggles = ((value in answer) != (value in shown) for value in choice_values(details["choices"]))
        child.send("".join((SPACE if toggle else "") + DOWN for toggle in toggles) + ENTER)
    elif "choices" in details:
        values = choice_values(details["choices"])
        child.send(DOWN * ((values.index(answer) - values.index(shown)) % len(values)) + ENTER)
    else:
        child.send(CLEAR_LINE + str(answer) + ENTER)
