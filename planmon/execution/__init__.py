"""planmon.execution."""
