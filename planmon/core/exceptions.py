"""planmon's one exception hierarchy.

Every error planmon raises for a user's mistake derives from :class:`PlanmonError`; the CLI
turns these into a clear message and a non-zero exit instead of a traceback.
"""

from __future__ import annotations

import errno
import os
from dataclasses import dataclass, field

__all__ = [
    "PlanmonError",
    "Problem",
    "PlanValidationError",
    "InputFileError",
    "ParameterError",
    "NotInPlanError",
    "BuildError",
    "BuildLockedError",
    "OutputError",
]


class PlanmonError(Exception):
    """Base class of every error planmon raises on purpose."""

    #: process exit code the CLI uses for this error
    exit_code: int = 1


@dataclass(frozen=True, order=True)
class Problem:
    """One located finding about the input.

    Attributes
    ----------
    file : str
        Path of the file as the analyst knows it (relative to the plan folder).
    row : int or None
        Row number as shown in Excel / a text editor (header is row 1), or None.
    column : str or None
        Column name as written in the file, or None.
    message : str
        What is wrong, with the value seen and, where possible, the fix.
    severity : str
        ``"error"`` (the plan cannot be used) or ``"warning"`` (legal but suspicious).
    code : str or None
        Machine-readable kind of finding, one of :data:`planmon.core.vocabulary.CAVEATS`
        for the warnings that travel with the numbers (``targets_against_direction``, …).
    indicator_id : str or None
        The indicator the finding concerns, when it concerns one.
    year : int or None
        The year the finding concerns (a report or target year); None = every year.
    """

    file: str
    row: int | None
    column: str | None
    message: str
    severity: str = "error"
    code: str | None = field(default=None, compare=False)
    indicator_id: str | None = field(default=None, compare=False)
    year: int | None = field(default=None, compare=False)

    @property
    def location(self) -> str:
        """``file:row:column`` (empty parts left out)."""
        parts = [self.file]
        if self.row is not None:
            parts.append(str(self.row))
        if self.column is not None:
            if self.row is None:
                parts.append("")
            parts.append(self.column)
        return ":".join(parts)

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"


class PlanValidationError(PlanmonError):
    """The plan or a report breaks the data contract; ``problems`` lists every finding."""

    def __init__(self, problems: list[Problem], warnings: list[Problem] | None = None):
        self.problems = sorted(problems, key=_sort_key)
        self.warnings = sorted(warnings or [], key=_sort_key)
        n = len(self.problems)
        super().__init__(
            f"{n} problem{'s' if n != 1 else ''} in the plan:\n"
            + "\n".join(str(p) for p in self.problems)
        )


def _sort_key(p: Problem) -> tuple:
    return (p.file, p.row if p.row is not None else -1, p.column or "", p.message)


class InputFileError(PlanmonError):
    """A file cannot be read at all (missing, not a spreadsheet, corrupt, too large)."""


class ParameterError(PlanmonError):
    """A notebook or command was given an unknown or mistyped parameter."""

    exit_code = 2


class NotInPlanError(ParameterError, KeyError):
    """A year, department or other key asked for is not in the plan (exit 1: the request was
    well-formed, the plan does not have it). Also a :class:`KeyError`, for lookups."""

    exit_code = 1

    def __str__(self) -> str:  # KeyError would show the message quoted
        return str(self.args[0]) if self.args else ""


class BuildError(PlanmonError):
    """One or more report jobs failed; the others finished.

    Attributes
    ----------
    result : planmon.build.jobs.BuildResult or None
        The whole build's summary, failed jobs included.
    """

    result = None


class BuildLockedError(PlanmonError):
    """Another ``planmon build`` holds the lock on the reports folder."""


# errno → (what happened, the fix), for the output errors people meet: read-only, full, denied.
_OS_REASONS: dict[int, tuple[str, str]] = {
    errno.EROFS: ("the file system is read-only", "write to a folder on a writable disk"),
    errno.ENOSPC: ("the disk is full", "free some space or write to another disk"),
    errno.EDQUOT: ("the disk quota is used up", "free some space or write to another disk"),
    errno.EACCES: (
        "permission denied",
        "make the folder writable for this user or write somewhere else",
    ),
    errno.EPERM: (
        "operation not permitted",
        "make the folder writable for this user or write somewhere else",
    ),
    errno.ENOENT: ("a folder on the way does not exist", "create it or correct the path"),
    errno.ENOTDIR: ("a part of the path is a file, not a folder", "correct the path"),
    errno.EISDIR: ("it is a folder, not a file", "move the folder away or choose another path"),
}


class OutputError(PlanmonError, OSError):
    """An output cannot be written: read-only or full disk, no permission, missing folder.

    A user's problem, not a bug: the message names the path and the fix. It is also an
    :class:`OSError`, so code that handles OS errors keeps handling it.
    """

    #: set by ``planmon build`` when the error stops a build: the summary of what it did
    result = None

    @classmethod
    def of(cls, error: OSError, path: str | os.PathLike[str] | None = None) -> OutputError:
        """The output error for ``error`` raised while writing ``path``.

        The path the operating system names (``error.filename``) wins over ``path``.
        """
        if isinstance(error, OutputError):
            return error
        where = error.filename if error.filename is not None else path
        code = error.errno
        reason, fix = _OS_REASONS.get(
            code if code is not None else -1,
            (error.strerror or str(error) or type(error).__name__, "check the path and the disk"),
        )
        name = f" ({errno.errorcode[code]})" if code in errno.errorcode else ""
        return cls(f"cannot write {where}: {reason}{name}; {fix}")
