"""planmon.core."""
