from pathlib import Path
from typing import Any

import pytest

from motcua.core.toml_config import toml_config


def _limits(data: dict[str, Any]) -> tuple[int, ...]:
    if data["limits"] != sorted(data["limits"]):
        raise ValueError("limits.toml: the limits must not decrease")
    return tuple(data["limits"])


def test_the_file_is_parsed_at_the_first_call_and_kept(tmp_path: Path):
    path = tmp_path / "limits.toml"
    path.write_text("limits = [1, 8, 24]\n")
    config = toml_config(path, _limits)
    assert config() == (1, 8, 24)
    path.write_text("limits = [2]\n")
    assert config() == (1, 8, 24)  # read once per process


def test_a_file_the_parser_refuses_fails_at_every_call(tmp_path: Path):
    path = tmp_path / "limits.toml"
    path.write_text("limits = [24, 8]\n")
    config = toml_config(path, _limits)
    for _attempt in range(2):
        with pytest.raises(ValueError, match="must not decrease"):
            config()
