"""``planmon build``: every report of a plan; the entry point is :func:`planmon.build.api.build`."""
