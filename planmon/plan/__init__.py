"""planmon.plan.model."""
