"""The subcommands of `motcua exchange`, one module each: a module of this package that defines NAME is one.

Each module defines NAME (the subcommand), HELP (one line), `add_arguments(parser)` and `run(command,
options)`, which writes through `command.stdout` and raises CommandError on failure. A new subcommand is a
new module here: the command finds it, so that no two features edit one file.
"""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType


def subcommands() -> dict[str, ModuleType]:
    """Every subcommand module of this package, by its NAME."""
    found = {}
    for info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{info.name}")
        if hasattr(module, "NAME"):
            found[module.NAME] = module
    return dict(sorted(found.items()))
