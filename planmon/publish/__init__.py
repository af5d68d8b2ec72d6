"""planmon.publish."""
