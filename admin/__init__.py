"""Web tool for mediators and regional staff: content, translations, retraining."""
