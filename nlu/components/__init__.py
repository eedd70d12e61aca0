"""Custom Rasa components; they run inside the Rasa environment (Python 3.10), never in the app."""
