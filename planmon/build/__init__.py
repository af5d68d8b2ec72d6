"""planmon.build.api."""
