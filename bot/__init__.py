"""Telegram front end (python-telegram-bot): renders the dialogue core's replies."""
