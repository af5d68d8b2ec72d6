"""A notebook's code cells read straight from its JSON (no nbformat, no papermill import).

The build reads notebooks twice before any kernel starts: for the parameters cell
(:func:`planmon.content.parameters.notebook_parameters`) and for the modules the zygote
preloads (:mod:`planmon.build.runner`). Both need only each code cell's source and tags, and
importing nbformat or papermill for that costs the build process most of a second.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

__all__ = ["CodeCell", "code_cells"]


@dataclass(frozen=True)
class CodeCell:
    """One code cell: its source as one string and its tags."""

    source: str
    tags: tuple[str, ...] = ()


def code_cells(path: str | os.PathLike[str]) -> list[CodeCell]:
    """The code cells of the notebook at ``path``, in order.

    Malformed parts (a cell that is not an object, tags that are not a list) are skipped or
    read as empty, as Jupyter would not run them either.

    Raises
    ------
    OSError
        The file cannot be read.
    ValueError
        It is not UTF-8 JSON (``UnicodeDecodeError`` and ``json.JSONDecodeError`` are both
        ``ValueError``).
    """
    document = json.loads(Path(path).read_text(encoding="utf-8"))
    cells = document.get("cells", []) if isinstance(document, dict) else []
    out = []
    for cell in cells if isinstance(cells, list) else []:
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        source = "".join(map(str, source)) if isinstance(source, list) else str(source)
        metadata = cell.get("metadata")
        tags = metadata.get("tags", []) if isinstance(metadata, dict) else []
        out.append(CodeCell(source, tuple(str(t) for t in tags) if isinstance(tags, list) else ()))
    return out
