"""PRIMM bot: multilingual information chatbot for migrants in the Marche region."""
