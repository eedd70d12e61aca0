"""Dialogue core: text or button in, replies out; knows nothing of Telegram."""
