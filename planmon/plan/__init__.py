"""The plan stage: validation, the :class:`Plan` model, loading and the parse cache."""
