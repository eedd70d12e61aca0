"""The `primm` command says what is missing and exits non-zero instead of half-starting."""

from __future__ import annotations

import os
import subprocess

from tests.support.cli import PRIMM


def test_bot_without_token_says_so() -> None:
    env = {k: v for k, v in os.environ.items() if "TELEGRAM_BOT_TOKEN" not in k}
    done = subprocess.run(
        [PRIMM, "bot"], capture_output=True, text=True, env=env, check=False, timeout=60
    )
    assert done.returncode != 0
    assert "TELEGRAM_BOT_TOKEN is not set" in done.stderr
