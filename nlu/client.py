"""HTTP client of the Rasa server's `/model/parse`, with a hard timeout."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import httpx

from nlu import wire


class NluUnavailable(Exception):
    """The Rasa server could not be reached, failed, or was slower than the timeout."""


@dataclass(frozen=True)
class Parse:
    """What Rasa understood: the top intent and the FAQ picked by the response selector."""

    intent: str
    confidence: float
    ranking: list[tuple[str, float]] = field(default_factory=list)
    faq: str | None = None
    faq_confidence: float = 0.0
    faq_ranking: list[tuple[str, float]] = field(default_factory=list)
    # Cosine to the nearest training example of the chosen label; None from a pipeline without it.
    similarity: float | None = None


def _faq_slug(key: str) -> str:
    return key.split("/", 1)[1] if "/" in key else key


def parse_response(body: dict[str, Any]) -> Parse:
    """Turn Rasa's parse JSON into a `Parse`."""
    intent = body.get(wire.INTENT) or {}
    selectors = body.get(wire.RESPONSE_SELECTOR) or {}
    selector = selectors.get(wire.RETRIEVAL_INTENT) or {}
    response = selector.get(wire.RESPONSE_SELECTOR_RESPONSE) or {}
    key = response.get(wire.INTENT_RESPONSE_KEY)
    similarity = body.get(wire.LABEL_SIMILARITY)
    return Parse(
        intent=intent.get(wire.INTENT_NAME) or wire.FALLBACK_INTENT,
        confidence=float(intent.get(wire.CONFIDENCE) or 0.0),
        ranking=[
            (r[wire.INTENT_NAME], float(r[wire.CONFIDENCE]))
            for r in body.get(wire.INTENT_RANKING) or []
        ],
        faq=_faq_slug(key) if key else None,
        faq_confidence=float(response.get(wire.CONFIDENCE) or 0.0),
        faq_ranking=[
            (_faq_slug(r[wire.INTENT_RESPONSE_KEY]), float(r[wire.CONFIDENCE]))
            for r in selector.get(wire.RESPONSE_SELECTOR_RANKING) or []
        ],
        similarity=float(similarity) if similarity is not None else None,
    )


class RasaClient:
    """Asks a Rasa server; any failure or a slow answer raises `NluUnavailable`."""

    def __init__(self, url: str, timeout: float) -> None:
        self.url = url.rstrip("/")
        self.http = httpx.AsyncClient(timeout=timeout)

    async def parse(self, text: str) -> Parse:
        """Parse one message."""
        try:
            response = await self.http.post(f"{self.url}/model/parse", json={"text": text})
            response.raise_for_status()
            return parse_response(response.json())
        except (httpx.HTTPError, ValueError, KeyError) as exc:
            raise NluUnavailable(f"{type(exc).__name__} from {self.url}") from exc

    async def aclose(self) -> None:
        """Release the connection pool."""
        await self.http.aclose()
