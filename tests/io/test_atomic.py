"""planmon.io.atomic: the one atomic write — checked before the rename, OS errors for people."""

from __future__ import annotations

import errno
import os

import pytest

from planmon.core.exceptions import OutputError
from planmon.io import atomic
from planmon.io.atomic import TEMP_PREFIX, atomic_path, atomic_write_text, is_temp_name


def test_the_temporary_file_is_named_as_planmons_own(tmp_path):
    with atomic_path(tmp_path / "report.html") as tmp:
        assert tmp.parent == tmp_path and is_temp_name(tmp.name)
        assert tmp.name.startswith(f"{TEMP_PREFIX}report.html.") and tmp.name.endswith(".tmp")
        tmp.write_text("new")
    assert (tmp_path / "report.html").read_text() == "new"
    assert not is_temp_name(".chapter1.docx.tmp")


def test_a_file_that_fails_its_check_never_lands(tmp_path):
    target = tmp_path / "scores.parquet"
    target.write_text("old")

    def refuse(path):
        raise ValueError("no footer")

    with pytest.raises(OutputError, match=r"the new file is damaged \(no footer\)"):
        with atomic_path(target, verify=refuse) as tmp:
            tmp.write_text("new")
    assert target.read_text() == "old" and os.listdir(tmp_path) == ["scores.parquet"]


def test_a_short_write_never_lands(tmp_path, monkeypatch):
    """A writer that loses bytes without an error (what a full disk can do): the size check."""
    target = tmp_path / "index.html"
    target.write_text("old")
    real_open = open

    class Lossy:
        def __init__(self, handle):
            self.handle = handle

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.handle.close()

        def write(self, data):
            return self.handle.write(data[: len(data) // 2])

    monkeypatch.setattr(atomic, "open", lambda f, m="r": Lossy(real_open(f, m)), raising=False)
    with pytest.raises(OutputError, match=r"damaged \(10 of 20 bytes on disk\)"):
        atomic_write_text(target, "x" * 20)
    assert target.read_text() == "old" and os.listdir(tmp_path) == ["index.html"]


def test_a_full_disk_is_an_output_error_naming_the_file(tmp_path, monkeypatch):
    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(atomic.tempfile, "mkstemp", full)
    with pytest.raises(OutputError) as raised:
        atomic_write_text(tmp_path / "a.html", "x")
    assert str(raised.value) == (
        f"cannot write {tmp_path / 'a.html'}: the disk is full (ENOSPC); "
        "free some space or write to another disk"
    )
    assert isinstance(raised.value, OSError)  # code that handles OS errors still does


def test_a_missing_parent_is_created(tmp_path):
    atomic_write_text(tmp_path / "a" / "b" / "c.txt", "x")
    assert (tmp_path / "a" / "b" / "c.txt").read_text() == "x"
