"""Settings come from config.yml, the environment wins, and a bad value names its key."""

from __future__ import annotations

import pytest

from shared.settings import SettingsError, load_settings


def test_defaults_from_config_file() -> None:
    settings = load_settings()
    assert settings.languages == ["it", "en", "fr", "ar", "sq", "uk", "zh", "ur", "bn", "es"]
    assert settings.nlu.url.startswith("http://127.0.0.1:")


def test_environment_overrides(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://u@db/primm")
    monkeypatch.setenv("PRIMM_NLU__TIMEOUT_SECONDS", "0.5")
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123:abc")
    monkeypatch.setenv("PRIMM_HANDOFF__GROUP_CHAT_ID", "-1001234567890")
    settings = load_settings()
    assert settings.database_url == "postgresql://u@db/primm"
    assert settings.nlu.timeout_seconds == 0.5
    assert settings.telegram_bot_token == "123:abc"
    assert settings.handoff.group_chat_id == -1001234567890


@pytest.mark.parametrize(
    ("variable", "value", "key"),
    [
        ("PRIMM_NLU__TIMEOUT_SECONDS", "-1", "nlu.timeout_seconds"),
        ("PRIMM_NLU__THREADS", "0", "nlu.threads"),
        ("PRIMM_NLU__MODELS_DIR", "var/rasa", "nlu.models_dir"),
        ("PRIMM_DEFAULT_LANGUAGE", "de", "default_language"),
        ("PRIMM_RETENTION_DAYS", "soon", "retention_days"),
        ("PRIMM_HANDOFF__WEEKDAYS", "[1, 7]", "handoff.weekdays"),
        ("PRIMM_HANDOFF__CLOSES", "08:00", "handoff"),
        ("PRIMM_DIGEST__WEEKDAY", "8", "digest.weekday"),
    ],
)
def test_bad_value_names_the_key(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str, key: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(SettingsError, match=key.replace(".", r"\.")):
        load_settings()
