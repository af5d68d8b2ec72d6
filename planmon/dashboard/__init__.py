"""planmon.dashboard.page."""
