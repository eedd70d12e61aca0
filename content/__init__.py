"""Content base: the single source of truth for what the bot says about Marche."""
