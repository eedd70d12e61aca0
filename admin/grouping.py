"""Groups the inbox's questions so that many ways of asking one thing make one row.

Character trigrams (single characters and pairs for Chinese) weighted by TF-IDF, compared by
cosine: no word list and no tokenizer per language, so it works the same for Italian, Arabic
and Chinese (which has no spaces), and tolerates typos and missing accents. Each question joins
the group whose centroid is most similar when that similarity reaches the threshold, else
starts a group (leader clustering: one pass, no training, stable for the same input order).
"""

from __future__ import annotations

import math
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

# Measured on the seed FAQs' example questions (bench/inbox_grouping.py): see the README.
THRESHOLD = 0.25
_CJK = ("CJK", "HIRAGANA", "KATAKANA", "HANGUL")


def normalise(text: str) -> str:
    """Lower case, compatible forms folded, accents and punctuation dropped, spaces collapsed."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    kept = []
    for char in decomposed:
        kind = unicodedata.category(char)
        if kind.startswith("M"):
            continue  # accents, Arabic vowel marks
        kept.append(char if kind[0] in "LN" else " ")
    return " ".join("".join(kept).split())


def _dense(char: str) -> bool:
    """Scripts written without spaces, where two characters already make a word."""
    return unicodedata.name(char, "").startswith(_CJK)


def grams(text: str) -> Counter[str]:
    """Character trigrams inside word boundaries; characters and bigrams for Chinese."""
    found: Counter[str] = Counter()
    for word in normalise(text).split():
        if any(_dense(char) for char in word):
            found.update(word)  # one character is often a word already
            found.update(word[i : i + 2] for i in range(len(word) - 1))
            continue
        padded = f" {word} "
        found.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return found


Vector = dict[str, float]


def _unit(vector: Vector) -> Vector:
    norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
    return {k: v / norm for k, v in vector.items()}


def _cosine(a: Vector, b: Vector) -> float:
    small, large = (a, b) if len(a) < len(b) else (b, a)
    return sum(v * large.get(k, 0.0) for k, v in small.items())


def vectors(texts: Sequence[str]) -> list[Vector]:
    """TF-IDF unit vectors of the texts, with document frequencies taken from the texts."""
    counts = [grams(text) for text in texts]
    frequency: Counter[str] = Counter(g for c in counts for g in c)
    total = len(texts)
    return [
        _unit(
            {
                g: (1 + math.log(n)) * (1 + math.log((1 + total) / (1 + frequency[g])))
                for g, n in c.items()
            }
        )
        for c in counts
    ]


@dataclass
class _Cluster:
    members: list[int] = field(default_factory=list)
    total: Vector = field(default_factory=dict)

    def centroid(self) -> Vector:
        return _unit(self.total)

    def add(self, index: int, vector: Vector) -> None:
        self.members.append(index)
        for key, value in vector.items():
            self.total[key] = self.total.get(key, 0.0) + value


def group(texts: Sequence[str], threshold: float = THRESHOLD) -> list[list[int]]:
    """Indices of `texts` in groups of similar ones, biggest group first."""
    clusters: list[_Cluster] = []
    centroids: list[Vector] = []
    for index, vector in enumerate(vectors(texts)):
        scores = [_cosine(vector, centroid) for centroid in centroids]
        best = max(range(len(scores)), key=scores.__getitem__, default=None)
        if best is None or scores[best] < threshold:
            clusters.append(_Cluster())
            centroids.append({})
            best = len(clusters) - 1
        clusters[best].add(index, vector)
        centroids[best] = clusters[best].centroid()
    return sorted((c.members for c in clusters), key=lambda m: (-len(m), m[0]))
