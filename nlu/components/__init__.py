"""Custom Rasa components: the modules run inside the Rasa environment (Python 3.10); this file,
free of imports, names what the app's benchmarks read from their output."""

# Set on every parse by the classifier: whether the message needed the sentence encoder.
ENCODER_USED = "encoder_used"
