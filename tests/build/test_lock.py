"""planmon.build.lock: the build lock, the work folder, and clearing only planmon's leftovers."""

from __future__ import annotations

import errno
import fcntl
import os

import pytest

from planmon.build import lock
from planmon.build.jobs import NullProgress
from planmon.build.lock import WorkFolder, build_lock, remove_stale_temps, remove_stale_work_folders
from planmon.core.exceptions import OutputError
from planmon.publish.layout import OutputLayout


def test_only_planmons_temporary_files_are_cleared(tmp_path):
    folder = tmp_path / "1398" / "fa"
    folder.mkdir(parents=True)
    ours = [
        folder / ".planmon-tmp-parks.html.k3j2h1ab.tmp",
        # an older planmon's name, beside an output the manifest knows
        folder / ".parks.pdf.x8d7q2zz.tmp",
    ]
    users = [
        folder / ".chapter1.docx.tmp",
        folder / ".bus.pdf.x8d7q2zz.tmp",  # bus.pdf is not planmon's
        tmp_path / "dashboard" / ".planmon-tmp-index.html.abcdefgh.tmp",  # not a build folder
    ]
    users[-1].parent.mkdir()
    for path in ours + users:
        path.write_text("half")
    removed = remove_stale_temps([tmp_path, folder], known={folder / "parks.pdf"})
    assert sorted(removed) == sorted(ours)
    assert all(path.exists() for path in users)


def _hold(folder) -> int:
    fd = os.open(folder / "owner.lock", os.O_RDWR | os.O_CREAT)
    fcntl.flock(fd, fcntl.LOCK_EX)
    return fd


def test_only_dead_builds_work_folders_are_removed(tmp_path):
    dead, alive, other = (tmp_path / f"planmon-build-{n}" for n in ("dead", "alive", "other"))
    for folder in (dead, alive, other):
        folder.mkdir()
    (dead / "owner.lock").write_text("")
    fd = _hold(alive)
    try:
        assert remove_stale_work_folders(tmp_path) == [dead]
    finally:
        os.close(fd)
    assert alive.is_dir() and other.is_dir() and not dead.exists()


def test_a_work_folder_is_locked_while_open_and_gone_after(tmp_path, monkeypatch):
    monkeypatch.setattr(lock.tempfile, "gettempdir", lambda: str(tmp_path))
    monkeypatch.setattr(lock.tempfile, "tempdir", str(tmp_path))
    with WorkFolder() as path:
        assert path.parent == tmp_path and path.name.startswith("planmon-build-")
        assert remove_stale_work_folders(tmp_path) == []  # ours is alive
    assert not path.exists()


def test_an_unwritable_folder_is_an_output_error_not_a_held_lock(tmp_path, monkeypatch):
    real_open = os.open

    def read_only(path, flags, *args):
        if str(path).endswith(".build.lock"):
            raise OSError(errno.EROFS, "Read-only file system", str(path))
        return real_open(path, flags, *args)

    monkeypatch.setattr(lock.os, "open", read_only)
    layout = OutputLayout(tmp_path)
    with pytest.raises(OutputError) as raised, build_lock(layout, 0, NullProgress()):
        pass
    assert str(raised.value) == (
        f"cannot write {layout.lock}: the file system is read-only (EROFS); "
        "write to a folder on a writable disk"
    )
