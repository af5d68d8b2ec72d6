"""planmon.measures."""
