"""The one way a stage turns bad input into a message: `stage: error: path:line: message`.

Every stage's `main` is wrapped with `@stagerun.guarded("<name>")`. A malformed registry
(`RegistryError`), a params file or checkout problem (`ConfigError`), an unreadable raw input
(`InputError`, a YAML syntax error) or a missing input file becomes
one line on stderr and exit 2, never a traceback: that is what `dvc repro` shows the user.
Anything else is a bug in the pipeline and keeps its traceback.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable

import yaml

from memwall.config import ConfigError
from memwall.registry import RegistryError
from memwall.textio import InputError

# Exit status for input the stage cannot use (0: ok, 1: the data fails a gate).
USAGE = 2


def describe(exc: BaseException) -> str:
    """`path:line: message` (or as much of it as the error knows) for a user-input error."""
    if isinstance(exc, yaml.MarkedYAMLError) and exc.problem_mark is not None:
        mark = exc.problem_mark
        where = f"{mark.name}:{mark.line + 1}:{mark.column + 1}"
        return f"{where}: {exc.problem or exc}"
    if isinstance(exc, FileNotFoundError):
        return f"{exc.filename}: missing input ({exc.strerror}); run the stages before it"
    if isinstance(exc, OSError) and exc.filename:
        return f"{exc.filename}: cannot read: {exc.strerror or exc}"
    if isinstance(exc, InputError):
        return exc.message if not exc.line else f"line {exc.line}: {exc.message}"
    return str(exc).strip() or type(exc).__name__


# The exception types that mean "the input is wrong", not "the code is wrong".
USER_ERRORS: tuple[type[BaseException], ...] = (
    RegistryError,
    ConfigError,
    InputError,
    yaml.YAMLError,
    OSError,
)


def guarded(stage: str) -> Callable[[Callable[[], int]], Callable[[], int]]:
    """Decorate a stage's `main`: user-input errors print `stage: error: ...` and return 2."""

    def wrap(main: Callable[[], int]) -> Callable[[], int]:
        @functools.wraps(main)
        def run() -> int:
            try:
                return main()
            except USER_ERRORS as exc:
                print(f"{stage}: error: {describe(exc)}", file=sys.stderr)
                return USAGE

        return run

    return wrap
