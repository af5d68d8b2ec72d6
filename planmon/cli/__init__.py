"""The ``planmon`` command line (typer): thin commands over the library, and the rich progress
adapter. The library itself never prints.

The commands live in :mod:`planmon.cli.app` (the console script's ``planmon.cli.app:app``) and
:mod:`planmon.cli.collection`, on the one application of :mod:`planmon.cli.common`.
"""

__all__: list[str] = []
