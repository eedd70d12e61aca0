"""One model over intents and FAQs: sets Rasa's intent and its `faq` response selector.

Every label is an intent (`greeting`, `health`) or a retrieval key (`faq/permit_renewal`). A
linear classifier's probabilities are blended with a vote of the nearest training examples in the
sentence-embedding space (a softmax over each label's mean similarity to its closest examples):
the neighbours carry what an example in one language says about the same question in another,
which the linear weights over n-grams miss (bench/out_of_scope.py measures both, README). The
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
from rasa.shared.nlu.constants import INTENT, INTENT_RESPONSE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from scipy.sparse import csr_matrix, hstack, vstack
from sklearn.linear_model import SGDClassifier
from sklearn.preprocessing import normalize

logger = logging.getLogger(__name__)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class RetrievalClassifier(IntentClassifier, GraphComponent):
    """Logistic-loss linear classifier over n-gram counts and sentence embeddings."""

    @classmethod
    def required_components(cls) -> list[type]:
        """Needs features."""
        return [Featurizer]

    @classmethod
    def fingerprint_addon(cls, config: dict[str, Any]) -> str:
        """This file's digest: Rasa's training cache must not reuse a model of older code."""
        return hashlib.sha256(Path(__file__).read_bytes()).hexdigest()

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """Retrieval intent, feature and label weights, regularisation, neighbours, ranking."""
        return {
            "retrieval_intent": "faq",
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
            "ranking_length": 10,
            "random_state": 42,
        }

    def __init__(
        self, config: dict[str, Any], model_storage: ModelStorage, resource: Resource
    ) -> None:
        """An untrained classifier."""
        self.config = {**self.get_default_config(), **config}
        self.clf = SGDClassifier(
            loss="log_loss",
            alpha=self.config["alpha"],
            max_iter=self.config["max_iter"],
            tol=self.config["tol"],
            random_state=self.config["random_state"],
        )
        self.example_labels = np.zeros(0, dtype=np.int32)  # class index of each example
        self.example_vectors = np.zeros((0, 0), dtype=np.float32)
        self._groups: list[np.ndarray] = []  # the example positions of each class (never empty)
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

    def _embeddings(self, messages: list[Message]) -> np.ndarray:
        """Unit-length sentence embeddings, one row per message."""
        rows = [message.get_dense_features(TEXT)[1].features[0] for message in messages]
        return normalize(np.asarray(rows, dtype=np.float32))

    def _prepare(self) -> None:
        """Column-major weights, so `X @ coef_.T` reads them in place instead of copying them
        all for every message (the README's benchmarks say what it cost); examples by class."""
        self.clf.coef_ = np.asfortranarray(self.clf.coef_)
        self._groups = [
            np.flatnonzero(self.example_labels == index) for index in range(len(self.clf.classes_))
        ]

    def _neighbours(self, similar: np.ndarray) -> np.ndarray:
        """Each class's share of the vote: softmax of its closest examples' mean similarity."""
        count = self.config["neighbour_count"]
        means = np.array([np.sort(similar[group])[-count:].mean() for group in self._groups])
        scaled = np.exp(self.config["neighbour_sharpness"] * (means - means.max()))
        return scaled / scaled.sum()

    def _features(self, messages: list[Message]) -> csr_matrix:
        """Log-scaled, length-normalised n-gram counts beside weighted embeddings."""
        sparse, dense = [], []
        for message in messages:
            sparse_sentence = message.get_sparse_features(TEXT)[1]
            dense_sentence = message.get_dense_features(TEXT)[1]
            sparse.append(csr_matrix(sparse_sentence.features))
            if dense_sentence is not None:
                dense.append(csr_matrix(dense_sentence.features))
        counts = vstack(sparse).tocsr().astype(np.float64)
        counts.data = np.log1p(counts.data)
        parts = [normalize(counts)]
        if dense:
            parts.append(vstack(dense).tocsr() * self.config["dense_weight"])
        return hstack(parts).tocsr()

    def train(self, training_data: TrainingData) -> Resource:
        """Fit on every intent example, labelled by its retrieval key when it has one."""
        examples = [e for e in training_data.intent_examples if e.get(INTENT) and e.get(TEXT)]
        labels = [e.get(INTENT_RESPONSE_KEY) or e.get(INTENT) for e in examples]
        weights = self.config["label_weights"]
        self.clf.fit(
            self._features(examples), labels, sample_weight=[weights.get(x, 1.0) for x in labels]
        )
        index = {label: i for i, label in enumerate(self.clf.classes_)}
        self.example_labels = np.array([index[label] for label in labels], dtype=np.int32)
        self.example_vectors = self._embeddings(examples)
        self._prepare()
        with self._model_storage.write_to(self._resource) as directory:
            sio.dump(self.clf, directory / "classifier.skops")
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

    def process(self, messages: list[Message]) -> list[Message]:
        """Set intent, intent ranking and the retrieval intent's response selection."""
        if not messages or not hasattr(self.clf, "classes_"):
            return messages
        linear = self.clf.predict_proba(self._features(messages))
        similarities = self._embeddings(messages) @ self.example_vectors.T
        share = self.config["neighbour_weight"]
        retrieval = self.config["retrieval_intent"]
        limit = self.config["ranking_length"]
        for message, probabilities, similar in zip(messages, linear, similarities, strict=True):
            row = (1 - share) * probabilities + share * self._neighbours(similar)
            intents: dict[str, float] = {}
            keys: dict[str, float] = {}
            for label, p in zip(self.clf.classes_, row, strict=True):
                intent = label.split("/", 1)[0]
                intents[intent] = intents.get(intent, 0.0) + float(p)
                if intent == retrieval:
                    keys[label] = float(p)
            ranking = sorted(
                ({"name": n, "confidence": c} for n, c in intents.items()),
                key=lambda item: -item["confidence"],
            )[:limit]
            message.set(INTENT, ranking[0], add_to_output=True)
            message.set("intent_ranking", ranking, add_to_output=True)
            total = sum(keys.values()) or 1.0
            selected = sorted(
                ({INTENT_RESPONSE_KEY: k, "confidence": p / total} for k, p in keys.items()),
                key=lambda item: -item["confidence"],
            )[:limit]
            chosen = selected[0][INTENT_RESPONSE_KEY] if ranking[0]["name"] == retrieval else None
            message.set(
                "label_similarity",
                self._similarity(similar, chosen or ranking[0]["name"]),
                add_to_output=True,
            )
            if selected:
                best = selected[0]
                message.set(
                    "response_selector",
                    {
                        "all_retrieval_intents": [retrieval],
                        retrieval: {
                            "response": {
                                "responses": [{"text": best[INTENT_RESPONSE_KEY]}],
                                "confidence": best["confidence"],
                                INTENT_RESPONSE_KEY: best[INTENT_RESPONSE_KEY],
                                "utter_action": f"utter_{best[INTENT_RESPONSE_KEY]}",
                            },
                            "ranking": selected,
                        },
                    },
                    add_to_output=True,
                )
        return messages
