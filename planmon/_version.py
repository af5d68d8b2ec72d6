"""planmon's version: one place, imported by the package and by whatever records it in outputs."""

__all__ = ["__version__"]

__version__ = "0.1.0"
