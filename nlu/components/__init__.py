"""Custom Rasa components: the modules run inside the Rasa environment (Python 3.10)."""
