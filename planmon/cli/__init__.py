"""The ``planmon`` command line (typer): thin commands over the library, and the rich progress
adapter. The library itself never prints."""

from planmon.cli.app import app, main

__all__ = ["app", "main"]
