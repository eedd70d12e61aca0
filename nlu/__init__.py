"""Rasa NLU project: pipeline, training data generated from the content base, runtime, client."""
