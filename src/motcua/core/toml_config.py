"""Configuration files in TOML shipped with an app (the statistics' index766.toml and evaluation.toml, the
printed forms' forms.toml): read once per process, at first use, and checked by the app's own parser, which
says what is wrong and where."""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")


def toml_config(path: Path, parse: Callable[[dict[str, Any]], T]) -> Callable[[], T]:
    """A reader of the file at `path`: its first call reads the file and parses it with `parse`, every later
    call answers that same value. A file that `parse` refuses fails at each call, never silently."""

    @functools.cache
    def read() -> T:
        with path.open("rb") as source:
            return parse(tomllib.load(source))

    return read
