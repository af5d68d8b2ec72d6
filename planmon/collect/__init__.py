"""planmon.collect."""
