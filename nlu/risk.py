"""The risk check: is a person in danger, whatever the message is about?

Apart from the topic classifier and in the app's own process, so that it runs on every message,
also while Rasa is down. One linear model reads two views of the message: character and word
n-grams of the folded text (typos, missing accents, Latin-script Urdu) and its multilingual
sentence embedding (the same danger said in other words or another language). It is trained on
the danger examples of `content/seed/risks.yaml` against routine look-alikes and every covered
question of the seed but those about a danger. The classes are few and fixed, so the model
belongs to the code's version, not to mediators' edits: it is trained once for the seed files
and kept beside the NLU models. Its threshold is chosen for recall (`bench/risk.py`).
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import joblib
import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from content.loader import SEED_DIR, seed_faqs, seed_intents
from content.risks import SEED_RISKS, Risks, risks
from content.text import fold
from nlu.components.encoder import CACHE_NAME, SentenceEncoder, cached

log = logging.getLogger(__name__)
SAFE = "safe"
BATCH = 64


@dataclass(frozen=True)
class Labelled:
    """A training message, its class (a risk class, or `safe`) and where it comes from."""

    text: str
    label: str
    language: str = ""  # a language or script of risks.yaml; "" for the seed's questions
    origin: str = "seed"  # "danger", "look-alike" (risks.yaml's `safe`) or "seed"


def training_set(kinds: Risks, seed_dir: Path = SEED_DIR) -> list[Labelled]:
    """Danger examples, routine look-alikes, and the seed's questions not about a danger."""
    adjacent = kinds.adjacent_faqs()
    found = [
        Labelled(text, name, language, "danger")
        for name, kind in kinds.classes.items()
        for language, texts in kind.examples.items()
        for text in texts
    ]
    found += [
        Labelled(text, SAFE, language, "look-alike")
        for language, texts in kinds.safe.items()
        for text in texts
    ]
    for faq in seed_faqs(seed_dir):
        if faq.slug in adjacent:
            continue
        for translation in faq.translations.values():
            found += [Labelled(t, SAFE) for t in (translation.question, *translation.examples)]
    intents = seed_intents(seed_dir)
    groups = [intents.conversation, intents.categories, intents.uncovered]
    for group in groups:
        for intent, by_language in group.items():
            if intent != "emergency":  # "emergency numbers in Ancona" is about a danger
                found += [Labelled(t, SAFE) for texts in by_language.values() for t in texts]
    first: dict[str, Labelled] = {}
    for item in found:  # a text written twice is taught once, as what it was first
        first.setdefault(item.text, item)
    return list(first.values())


def _ngrams() -> list[TfidfVectorizer]:
    """Character n-grams within words and word pairs, of the folded text (no accents, lower)."""
    return [
        TfidfVectorizer(
            analyzer="char_wb", ngram_range=(2, 5), preprocessor=fold, sublinear_tf=True, min_df=2
        ),
        TfidfVectorizer(preprocessor=fold, ngram_range=(1, 2), sublinear_tf=True),
    ]


_encoder: SentenceEncoder | None = None
_encoder_lock = threading.Lock()


def encoder() -> SentenceEncoder:
    """The sentence encoder, loaded once per process (about a second)."""
    global _encoder
    with _encoder_lock:
        if _encoder is None:
            _encoder = SentenceEncoder(BATCH)
        return _encoder


def embeddings(texts: Sequence[str], cache: Path) -> np.ndarray:
    """The texts' embeddings through the shared cache, loading the encoder only when needed."""
    vectors: np.ndarray = cached(texts, cache, lambda missing: encoder().embed(missing))
    return vectors


class RiskModel:
    """Which danger classes a message is likely about, most likely first."""

    def __init__(self, ngrams: list[TfidfVectorizer], classifier: LogisticRegression) -> None:
        self.ngrams = ngrams
        self.classifier = classifier
        self.classes: list[str] = [str(label) for label in classifier.classes_]

    @classmethod
    def fit(cls, examples: Sequence[Labelled], vectors: np.ndarray) -> RiskModel:
        """Train on `examples` and their embeddings, row for row (`embeddings` keeps them)."""
        texts = [item.text for item in examples]
        ngrams = _ngrams()
        views = [view.fit_transform(texts) for view in ngrams]
        features = sparse.hstack([*views, sparse.csr_matrix(vectors)]).tocsr()
        # Balanced: a thousand danger examples against ten thousand routine questions.
        classifier = LogisticRegression(C=10.0, class_weight="balanced", max_iter=3000)
        classifier.fit(features, [item.label for item in examples])
        return cls(ngrams, classifier)

    def _probabilities(self, texts: Sequence[str], embeddings: np.ndarray | None) -> np.ndarray:
        vectors = encoder().embed(texts) if embeddings is None else embeddings
        views = [view.transform(texts) for view in self.ngrams]
        features = sparse.hstack([*views, sparse.csr_matrix(vectors)]).tocsr()
        return np.asarray(self.classifier.predict_proba(features))

    def danger(self, texts: Sequence[str], embeddings: np.ndarray | None = None) -> np.ndarray:
        """For each text, the probability that it is about any danger (1 - P(safe))."""
        return 1.0 - self._probabilities(texts, embeddings)[:, self.classes.index(SAFE)]

    def ranked(self, text: str) -> list[tuple[str, float]]:
        """Every danger class with its probability for one message, most likely first."""
        [row] = self._probabilities([text], None)
        scored = [(c, float(p)) for c, p in zip(self.classes, row, strict=True) if c != SAFE]
        return sorted(scored, key=lambda item: -item[1])


@dataclass(frozen=True)
class Danger:
    """What the check saw: the danger classes, likeliest first, and whether it is sure."""

    kinds: list[str]
    sure: bool  # sure: the full warning; else the numbers in one line, before the answer


class RiskCheck:
    """The dangers a message shows, for the dialogue core: recall first, in two steps."""

    def __init__(self, model: RiskModel, threshold: float, alarm_threshold: float) -> None:
        self.model = model
        self.threshold = threshold
        self.alarm_threshold = max(threshold, alarm_threshold)

    def assess(self, text: str) -> Danger | None:
        """The danger to act on, or None.

        All danger classes together at `threshold` or more: the numbers come first. At
        `alarm_threshold` or more the check is sure and the reply says what to do. The classes
        named are the likeliest and any other at half its probability or more.
        """
        ranked = self.model.ranked(text)
        danger = sum(p for _, p in ranked)
        if danger < self.threshold:
            return None
        top = ranked[0][1]
        kinds = [name for name, p in ranked if p >= top / 2]
        return Danger(kinds, danger >= self.alarm_threshold)


def _digest(seed_dir: Path) -> str:
    digest = hashlib.sha256(Path(__file__).read_bytes())
    for path in [SEED_RISKS, seed_dir / "intents.yaml", *sorted((seed_dir / "faqs").glob("*"))]:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


_models: dict[Path, RiskModel] = {}
_models_lock = threading.Lock()


def risk_file(seed_dir: Path = SEED_DIR) -> str:
    """The model's file name, by the hash of this code and the seed files."""
    return f"risk-{_digest(seed_dir)}.joblib"


def risk_model(models_dir: Path, seed_dir: Path = SEED_DIR) -> RiskModel:
    """The model for this code and seed: loaded from `models_dir`, else trained and saved there."""
    path = models_dir / risk_file(seed_dir)
    with _models_lock:
        if path not in _models:
            if path.exists():
                _models[path] = joblib.load(path)
            else:
                log.warning("training the risk check for this seed (minutes the first time)")
                examples = training_set(risks(), seed_dir)
                vectors = embeddings([item.text for item in examples], models_dir / CACHE_NAME)
                model = RiskModel.fit(examples, vectors)
                path.parent.mkdir(parents=True, exist_ok=True)
                joblib.dump(model, path)
                _models[path] = model
        return _models[path]
