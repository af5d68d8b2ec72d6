"""planmon.content."""
