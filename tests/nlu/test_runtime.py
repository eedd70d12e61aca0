"""Finding Python 3.10 for Rasa, and a clear message when there is none."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from nlu import runtime


def test_finds_a_working_python310() -> None:
    found = runtime.find_python310()
    assert found.name.startswith("python")
    assert runtime._is_python310(found)


def test_missing_python310_names_what_to_install(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PYENV_ROOT", str(tmp_path))
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv("PRIMM_PYTHON310", raising=False)
    with pytest.raises(runtime.RuntimeMissing, match=r"Python 3\.10.*pyenv install 3\.10"):
        runtime.find_python310()


def test_a_python_of_another_version_is_not_taken(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PRIMM_PYTHON310", sys.executable)  # this is 3.11
    monkeypatch.setenv("PYENV_ROOT", str(tmp_path))
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(runtime.RuntimeMissing):
        runtime.find_python310()
