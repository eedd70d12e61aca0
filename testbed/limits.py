"""Telegram's flood limits as token buckets: about 1 message a second per chat, 30 in all.

A 429 holds for its `retry_after`: a bot that sends again sooner is refused again.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field

IN_FLIGHT = 0.05  # seconds after a 429 in which a request may have left before its answer came


def retry_after(wait: float) -> int:
    """A wait as Telegram states it in a 429: whole seconds, at least one."""
    return max(1, math.ceil(wait))


@dataclass
class Bucket:
    """Refills `rate` tokens a second up to `burst`; each message takes one."""

    rate: float
    burst: float
    stamp: float
    tokens: float = field(init=False)

    def __post_init__(self) -> None:
        self.tokens = self.burst

    def wait(self, now: float) -> float:
        """Seconds until a token is free (0 when one is free now)."""
        self.tokens = min(self.burst, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        return 0.0 if self.tokens >= 1 else (1 - self.tokens) / self.rate


@dataclass
class RateLimits:
    """The limits Telegram enforces on a bot's messages (it tolerates short bursts in a chat)."""

    per_chat: float = 1.0
    chat_burst: float = 3.0
    total: float = 30.0
    total_burst: float = 30.0
    clock: Callable[[], float] = time.monotonic  # a test may stop time
    pauses: list[tuple[float, float]] = field(default_factory=list)  # each 429's start and end
    _chats: dict[object, Bucket] = field(default_factory=dict)
    _all: Bucket = field(init=False)
    _paused_until: float = 0.0

    def __post_init__(self) -> None:
        self._all = Bucket(self.total, self.total_burst, self.clock())

    def pause(self, retry_after: int) -> None:
        """A 429 for the whole bot went out: no message is accepted for `retry_after` seconds."""
        now = self.clock()
        self.pauses.append((now, now + retry_after))
        self._paused_until = max(self._paused_until, now + retry_after)

    def in_flight(self) -> bool:
        """Whether a request refused now may have left before the bot heard of the last 429."""
        return bool(self.pauses) and self.clock() - self.pauses[-1][0] < IN_FLIGHT

    def admit(self, chat_id: object) -> int | None:
        """Take a message's tokens, or say how many whole seconds to wait (retry_after)."""
        now = self.clock()
        if now < self._paused_until:
            return retry_after(self._paused_until - now)
        chat = self._chats.setdefault(chat_id, Bucket(self.per_chat, self.chat_burst, now))
        if (wait := chat.wait(now)) > 0:  # this chat only
            return retry_after(wait)
        if (wait := self._all.wait(now)) > 0:
            self.pause(retry_after(wait))
            return retry_after(wait)
        chat.tokens -= 1
        self._all.tokens -= 1
        return None
