"""Typed application settings: `config.yml` plus environment overrides, loaded once."""

from __future__ import annotations

import os
from datetime import time
from functools import lru_cache
from pathlib import Path
from typing import Literal, Self

from pydantic import (
    AliasChoices,
    BaseModel,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    YamlConfigSettingsSource,
)

from shared.vocabulary import LANGUAGES

ROOT = Path(__file__).resolve().parent.parent
CONFIG_FILE = Path(os.environ.get("PRIMM_CONFIG", ROOT / "config.yml"))


def known_languages(value: list[str]) -> list[str]:
    """The codes given, when every one is a language the bot speaks."""
    unknown = sorted(set(value) - set(LANGUAGES))
    if unknown:
        raise ValueError(f"unsupported language codes {unknown}; supported: {LANGUAGES}")
    return value


class NluSettings(BaseModel):
    """Where the Rasa server is and how far to trust it."""

    url: str = "http://127.0.0.1:5005"
    timeout_seconds: float = Field(2.0, gt=0)
    confidence_threshold: float = Field(0.45, ge=0, le=1)
    similarity_threshold: float = Field(0.0, ge=-1, le=1)
    # Under the answer point, "is your question one of these?" down to these (never a guess
    # delivered as an answer); lower still, or out of scope, the bot says it does not know.
    clarify_confidence: float = Field(0.1, ge=0, le=1)
    clarify_similarity: float = Field(0.0, ge=-1, le=1)
    # Where the training data generated from the content goes (`data/nlu.yml`, `domain.yml`).
    training_dir: Path = Path("nlu")
    # Named `models`: the server runs in its parent, and Rasa's POST /model/train saves there.
    models_dir: Path = Path("nlu/models")
    venv: Path = Path(".venv-rasa")
    threads: int = Field(1, ge=1)  # OpenMP threads of the server (`OMP_NUM_THREADS`)

    @field_validator("models_dir")
    @classmethod
    def _named_models(cls, value: Path) -> Path:
        if value.name != "models":
            raise ValueError(f"must be a folder named `models` (Rasa saves there), not {value}")
        return value


class RiskSettings(BaseModel):
    """When a message counts as from a person in danger: the numbers first, then a warning."""

    threshold: float = Field(0.05, gt=0, le=1)
    alarm_threshold: float = Field(0.6, gt=0, le=1)


class SearchSettings(BaseModel):
    """Full-text fallback tuning."""

    min_score: float = Field(0.7, ge=0, le=1)
    # Search answers only when its best FAQ leads the next one by this share of the query.
    min_lead: float = Field(0.0, ge=0, le=1)


class ChatSettings(BaseModel):
    """Limits on incoming messages."""

    max_message_chars: int = Field(1000, ge=10)


class ContentSettings(BaseModel):
    """How the bot reads the content for users."""

    # How often users' answers look for an edit saved in the admin tool (0: read every time).
    cache_seconds: float = Field(30.0, ge=0)


class TelegramSettings(BaseModel):
    """How the Telegram front end receives updates and how much one sender may send."""

    mode: Literal["polling", "webhook"] = "polling"
    # Webhook mode: Telegram posts to `webhook_url` (public HTTPS, e.g. behind a reverse proxy),
    # which forwards to `listen`:`port` + `/` + `path`.
    webhook_url: str | None = None
    listen: str = "127.0.0.1"
    port: int = Field(8443, ge=1, le=65535)
    path: str = "telegram"
    # Sent by Telegram in X-Telegram-Bot-Api-Secret-Token; requests without it are refused.
    # From the environment only: PRIMM_TELEGRAM__SECRET_TOKEN.
    secret_token: str | None = Field(None, pattern=r"^[A-Za-z0-9_-]{1,256}$")
    flood_messages_per_minute: int = Field(20, ge=1)
    # The bot's @username, for the admin tool's deep link that links an editor's chat.
    bot_username: str | None = Field(None, pattern=r"^[A-Za-z][A-Za-z0-9_]{4,31}$")

    @model_validator(mode="after")
    def _webhook_complete(self) -> Self:
        if self.mode == "webhook" and not (self.webhook_url and self.secret_token):
            raise ValueError(
                "webhook mode needs telegram.webhook_url and PRIMM_TELEGRAM__SECRET_TOKEN"
            )
        return self


class HealthSettings(BaseModel):
    """Where a service process serves /healthz, /readyz and /metrics (port 0: not served)."""

    listen: str = "127.0.0.1"
    port: int = Field(9108, ge=0, le=65535)


class BroadcastSettings(BaseModel):
    """How fast announcements go out and how late a missed one may still be sent."""

    # Messages a second in all; Telegram allows about 30, so the default leaves headroom.
    rate: int = Field(25, ge=1, le=30)
    # Concurrent requests; enough to keep `rate` up while answers take a round trip.
    workers: int = Field(16, ge=1)
    # Tries per message on connection errors and 5xx before it is marked failed.
    attempts: int = Field(5, ge=1)
    # Seconds to wait for Telegram's answer; a send that times out is marked uncertain.
    read_timeout: float = Field(10.0, gt=0)
    # An announcement that fell due while the service was down is still sent this late.
    grace_seconds: int = Field(3600, ge=0)


class HandoffSettings(BaseModel):
    """Talk to a person: the mediators' Telegram group and when someone reads it."""

    # The group's chat id (negative for groups); null turns the relay off and the bot then
    # points to the offices instead. The bot must be a member of the group.
    group_chat_id: int | None = None
    # The mediators' own hours, in Europe/Rome time: weekdays 0 = Monday ... 6 = Sunday.
    weekdays: list[int] = Field(default_factory=lambda: [0, 1, 2, 3, 4])
    opens: time = time(9, 0)
    closes: time = time(17, 0)

    @field_validator("weekdays")
    @classmethod
    def _known_weekdays(cls, value: list[int]) -> list[int]:
        if not value or any(not 0 <= day <= 6 for day in value):
            raise ValueError("give at least one weekday, 0 (Monday) to 6 (Sunday)")
        return sorted(set(value))

    @model_validator(mode="after")
    def _opens_before_closing(self) -> Self:
        if self.opens >= self.closes:
            raise ValueError("handoff.opens must be before handoff.closes")
        return self


class DigestSettings(BaseModel):
    """Facts nobody checked for a while: when a row counts as stale, when mediators hear of it."""

    stale_after_days: int = Field(180, ge=1)
    # The weekly digest to the mediators' group, in Europe/Rome time; 0 = Monday.
    weekday: int = Field(0, ge=0, le=6)
    at: time = time(9, 0)


class VoiceSettings(BaseModel):
    """Listening to answers: where voice notes are kept, the voices on until a mediator chooses."""

    # Voice notes are made from the content and can be made again: a cache, kept out of the
    # database and its backups.
    dir: Path = Path("var/voice")
    # Languages whose voice is on where no mediator has switched it (README: why these).
    languages: list[str] = ["it", "en", "fr", "es", "sq"]

    @field_validator("languages")
    @classmethod
    def _known_languages(cls, value: list[str]) -> list[str]:
        return known_languages(value)


class AdminSettings(BaseModel):
    """The admin web tool: where it listens, its session secret and its first account."""

    host: str = "127.0.0.1"
    port: int = Field(8000, ge=1, le=65535)
    # From the environment only (PRIMM_ADMIN__SESSION_SECRET): the tool refuses to start without.
    session_secret: SecretStr | None = None
    # First admin account, created at start when both are set and the user does not exist yet.
    username: str | None = None
    password: SecretStr | None = None
    # Send the session cookie over HTTPS only; turn on when served behind TLS.
    secure_cookies: bool = False
    # A session ends after this many hours without use, and in any case this long after login.
    session_hours: int = Field(8, ge=1)
    session_absolute_hours: int = Field(24, ge=1)
    # "Send me a test" per account in a moving hour, and how long a chat link code lasts.
    test_sends_per_hour: int = Field(10, ge=1)
    link_code_minutes: int = Field(15, ge=1)
    # Failed logins allowed per user name (and four times that per address) in the window.
    login_attempts: int = Field(5, ge=1)
    login_window_seconds: int = Field(300, ge=1)
    # The largest request body read (bytes; more gets a 413 before any parsing): the longest
    # FAQ answer with all its fields is a few kilobytes.
    max_body_bytes: int = Field(1_000_000, ge=10_000)
    # Addresses of the reverse proxies whose X-Forwarded-For is believed (none: the client's
    # own address counts, whatever header it sends).
    trusted_proxies: list[str] = []


class Settings(BaseSettings):
    """Everything the app reads from `config.yml` and the environment."""

    model_config = SettingsConfigDict(
        env_prefix="PRIMM_",
        env_nested_delimiter="__",
        yaml_file=CONFIG_FILE,
        extra="forbid",
    )

    languages: list[str] = list(LANGUAGES)
    default_language: str = "it"
    fallback_languages: list[str] = ["en", "it"]
    database_url: str = Field(
        "sqlite:///var/primm.db",
        validation_alias=AliasChoices("DATABASE_URL", "PRIMM_DATABASE_URL", "database_url"),
    )
    retention_days: int = Field(30, ge=1)
    nlu: NluSettings = NluSettings()
    search: SearchSettings = SearchSettings()
    risk: RiskSettings = RiskSettings()
    chat: ChatSettings = ChatSettings()
    content: ContentSettings = ContentSettings()
    telegram: TelegramSettings = TelegramSettings()
    admin: AdminSettings = AdminSettings()
    broadcast: BroadcastSettings = BroadcastSettings()
    handoff: HandoffSettings = HandoffSettings()
    digest: DigestSettings = DigestSettings()
    health: HealthSettings = HealthSettings()
    voice: VoiceSettings = VoiceSettings()
    # "json" for one JSON object per line (log collectors); logs never hold message text or names.
    log_format: Literal["text", "json"] = "text"
    telegram_bot_token: str | None = Field(
        None, validation_alias=AliasChoices("TELEGRAM_BOT_TOKEN", "PRIMM_TELEGRAM_BOT_TOKEN")
    )
    # Same meaning as python-telegram-bot's `base_url`: a local Bot API server, or the emulator.
    telegram_api_base_url: str = Field(
        "https://api.telegram.org/bot",
        validation_alias=AliasChoices(
            "TELEGRAM_API_BASE_URL", "PRIMM_TELEGRAM_API_BASE_URL", "telegram_api_base_url"
        ),
    )

    @field_validator("languages", "fallback_languages")
    @classmethod
    def _known_languages(cls, value: list[str]) -> list[str]:
        return known_languages(value)

    @field_validator("default_language")
    @classmethod
    def _known_default(cls, value: str) -> str:
        if value not in LANGUAGES:
            raise ValueError(f"unsupported language code {value!r}")
        return value

    def path(self, relative: Path) -> Path:
        """Resolve a configured path against the project root."""
        return relative if relative.is_absolute() else ROOT / relative

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """Environment wins over `config.yml`, so secrets never need to be in the file."""
        return (init_settings, env_settings, YamlConfigSettingsSource(settings_cls))


class SettingsError(RuntimeError):
    """Raised with a message naming each bad key, so a typo fails at start."""


def load_settings() -> Settings:
    """Read and validate the settings, turning validation errors into one readable message."""
    try:
        return Settings()
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in err['loc'])}: {err['msg']}" for err in exc.errors()
        )
        raise SettingsError(
            f"invalid settings ({CONFIG_FILE.name} or environment): {problems}"
        ) from exc


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings object."""
    return load_settings()
