"""Telegram's flood limits as token buckets: about 1 message a second per chat, 30 in all."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field


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
    _chats: dict[object, Bucket] = field(default_factory=dict)
    _all: Bucket = field(init=False)

    def __post_init__(self) -> None:
        self._all = Bucket(self.total, self.total_burst, self.clock())

    def admit(self, chat_id: object) -> int | None:
        """Take a message's tokens, or say how many whole seconds to wait (retry_after)."""
        now = self.clock()
        chat = self._chats.setdefault(chat_id, Bucket(self.per_chat, self.chat_burst, now))
        wait = max(chat.wait(now), self._all.wait(now))
        if wait > 0:
            return max(1, math.ceil(wait))
        chat.tokens -= 1
        self._all.tokens -= 1
        return None
