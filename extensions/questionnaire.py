"""How a person meets the questionnaire, in Copier's own process.

copier.yml's `_jinja_extensions` loads this file (through copier-template-extensions).
Interactively, Copier shows a refused answer's message and asks again. Given with
`--data`, `--data-file` or `--defaults`, the refusal is an exception: Copier's CLI prints a
traceback for it before the message, and for a few kinds the message names no question.
`refusal_hook` replaces that with one message that names the question, the answer given
and what is allowed. Any other exception keeps Python's own report.
"""

import hashlib
import importlib.util
import json
import marshal
import os
import shutil
import sys
import textwrap
import traceback
from pathlib import Path
from types import TracebackType

import jinja2
from copier.errors import UserMessageError
from jinja2 import Environment
from jinja2.ext import Extension

VALIDATION_PREFIX = "Validation error for question '{}': "
# What a question of each type takes, for an answer Copier cannot convert to it.
TYPE_NAMES = {"int": "a whole number", "float": "a number", "yaml": "YAML", "json": "JSON"}
# What Copier reads as a yes or a no (copier's cast_to_bool); it reads any other word as yes.
YES_OR_NO = {"y", "yes", "t", "true", "on", "n", "no", "f", "false", "off"}
# What a folder may hold and still be a new project's: a fresh repository's metadata.
NEW_PROJECT_ENTRIES = {".git"}
ANSWER_SHOWN = 50  # characters of an answer a message quotes
# Compiled template strings, kept between runs (remember_compiled).
COMPILED_CACHE = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "tap-template" / "jinja"


class Questionnaire(Extension):
    """The `quoted` filter, the `yes_or_no` test, the destination check, and `refusal_hook`."""

    def __init__(self, environment: Environment) -> None:
        super().__init__(environment)
        environment.filters["quoted"] = quoted
        environment.tests["yes_or_no"] = yes_or_no
        environment.globals["occupied_destination_refused"] = occupied_destination_refused
        remember_compiled(environment)
        # Copier loads this file anew for each render environment: install the hook once.
        if not getattr(sys.excepthook, "refusal_hook", False):
            sys.excepthook = chained(sys.excepthook)


def remember_compiled(environment: Environment) -> None:
    """Compiles each template string once. Copier renders the same strings again and again
    (validators, computed defaults, `when`, conditional file names: about 1,300 compilations
    of some 270 strings in one copy), and compiling is most of the render's time. A string
    is compiled once per process, and its code is kept in the user's cache for the next
    copy or update, keyed by what the code depends on, as Jinja's own bytecode cache does
    (a cache that cannot be written is not used)."""
    compile_source = environment.compile
    compiled: dict[tuple, object] = {}

    def compile_once(source, name=None, filename=None, raw=False, defer_init=False):
        if not isinstance(source, str):
            return compile_source(source, name, filename, raw, defer_init)
        # The file name only labels tracebacks (and Copier's is a new temporary folder each run).
        key = (source, name, raw, defer_init)
        if key not in compiled:
            # What the code depends on besides the key; the extensions are loaded once this one is.
            depends = (jinja2.__version__, importlib.util.MAGIC_NUMBER, sorted(environment.extensions))
            digest = hashlib.sha256(repr((depends, key)).encode()).hexdigest()
            code = cached_code(digest)
            if code is None:
                code = compile_source(source, name, filename, raw, defer_init)
                keep_code(digest, code)
            compiled[key] = code
        return compiled[key]

    environment.compile = compile_once


def cached_code(key: str) -> object | None:
    try:
        return marshal.loads((COMPILED_CACHE / key).read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        return None


def keep_code(key: str, code: object) -> None:
    path = COMPILED_CACHE / key
    if path.exists():
        return
    try:
        COMPILED_CACHE.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f"{key}.{os.getpid()}")
        partial.write_bytes(marshal.dumps(code))
        partial.replace(path)  # whole, or not there: copies run side by side
    except (OSError, ValueError):
        pass


def quoted(value: object) -> str:
    """`value` as a double-quoted string literal, valid alike in Python, YAML, TOML and JSON,
    and readable: non-ASCII letters as they are, control characters escaped."""
    return json.dumps(str(value), ensure_ascii=False)


def yes_or_no(given: object) -> bool:
    """Whether an answer given to a yes/no question is one (None: not given)."""
    return given is None or isinstance(given, bool) or (isinstance(given, str) and given.lower() in YES_OR_NO)


def occupied_destination_refused(destination: object, answers_file: object, overwrite: bool) -> str:
    """Refuses a copy into a folder that has files, before anything is written: Copier would
    write part of the project, then stop at the first file the template writes too. A
    project's own folder (it has the answers file: an update, a recopy) is not refused."""
    folder = Path(str(destination))
    if overwrite or not folder.is_dir() or (folder / str(answers_file)).exists():
        return ""
    present = sorted(entry.name for entry in folder.iterdir() if entry.name not in NEW_PROJECT_ENTRIES)
    if not present:
        return ""
    shown = ", ".join(present[:5]) + (f" and {len(present) - 5} more" if len(present) > 5 else "")
    raise UserMessageError(
        wrapped(
            f"{folder} already has files ({shown}): nothing was written. Copy into a new or empty "
            "folder, or add --overwrite to let the template's files replace the folder's."
        )
    )


def chained(previous):
    def refusal_hook(kind: type[BaseException], error: BaseException, trace: TracebackType | None) -> None:
        try:
            message = refusal(error, trace)
        except Exception:  # a Copier whose internals moved: its own report, never a second error
            message = None
        if message is None:
            previous(kind, error, trace)
        else:
            print(message, file=sys.stderr)

    refusal_hook.refusal_hook = True
    return refusal_hook


def refusal(error: BaseException, trace: TracebackType | None) -> str | None:
    """The message for an answer Copier refused, or None for any other error. It reads the
    question being asked from the frame of Copier's Worker._ask (copier 9)."""
    frames = {frame.f_code.co_name: frame.f_locals for frame, _ in traceback.walk_tb(trace)}
    if "_ask" not in frames or not isinstance(error, ValueError | TypeError):
        return None
    question = frames["_ask"]["var_name"]
    worker = frames["_ask"]["self"]
    details = worker.template.questions_data.get(question, {})
    text = str(error)
    if text == f'Question "{question}" is required':
        help_text = " ".join(str(details.get("help", "")).split())
        return wrapped(
            f"{question}: no answer given, and it has no default ({help_text}): "
            f"answer it, e.g. --data {question}=VALUE.\nNothing was written."
        )
    if text.startswith(VALIDATION_PREFIX.format(question)):
        explanation = text.removeprefix(VALIDATION_PREFIX.format(question))
    elif text.startswith(choice_prefix := f"Invalid choice for '{question}': "):
        disabled = text.removeprefix(choice_prefix)
        values = ", ".join(str(value) for value in choice_values(details["choices"]))
        explanation = disabled if " is not in [" not in disabled else f"must be one of: {values}"
    elif details.get("multiselect") and "Not a YAML list" in text:
        explanation = "must be a YAML list of its choices, e.g. [a, b], or [] for none"
    else:
        explanation = f"must be {TYPE_NAMES.get(details.get('type'), details.get('type'))} ({reason(error)})"
    # The answer as given (--data, --data-file), or the default it fell back to.
    given = worker.answers.init.get(question, frames.get("validate_answer", {}).get("answer"))
    answer = "" if given is None else f" {abbreviated(given)}"
    return wrapped(f"{question}: the answer{answer} is refused: {explanation}.\nNothing was written.")


def abbreviated(given: object) -> str:
    """An answer as the message shows it: quoted, and cut with its length when it is long."""
    text = given if isinstance(given, str) else json.dumps(given, ensure_ascii=False, default=str)
    if len(text) <= ANSWER_SHOWN:
        return quoted(text)
    return f'{quoted(text[:ANSWER_SHOWN])[:-1]}..." ({len(text)} characters)'


def choice_values(choices: dict | list) -> list:
    """The values of a question's choices, in order: copier.yml writes them as a list, or as
    labels mapped to values or to {value: ..., validator: ...}."""
    listed = choices.values() if isinstance(choices, dict) else choices
    return [value["value"] if isinstance(value, dict) else value for value in listed]


def reason(error: BaseException) -> str:
    """The first line of what went wrong, from the error or the one it was raised from."""
    cause = error.__cause__ or error.__context__
    for candidate in (error, cause):
        if candidate is not None and (problem := getattr(candidate, "problem", None)):
            mark = getattr(candidate, "problem_mark", None)
            return f"{problem}, line {mark.line + 1}" if mark else problem
    text = str(error) or str(cause or type(error).__name__)
    return text.strip().splitlines()[0]


def wrapped(message: str) -> str:
    """`message` wrapped to the terminal's width, continuation lines indented."""
    width = max(40, shutil.get_terminal_size().columns - 1)
    return "\n".join(
        textwrap.fill(line, width, subsequent_indent="  ", break_on_hyphens=False) for line in message.splitlines()
    )
