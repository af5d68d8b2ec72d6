"""planmon.build.remote: what a job carries to a worker that shares no disk with the client."""

from __future__ import annotations

import shutil
from pathlib import Path

from planmon.build.remote import pack_plan

TINY = Path(__file__).parents[1] / "data" / "tiny"


def test_the_unpack_key_covers_the_scores_file_name(tmp_path):
    # the same scores bytes under another name (a new plan fingerprint) must not reuse a worker's
    # older unpacked copy, which has no file of the new name
    first = tmp_path / "aaaa.parquet"
    first.write_bytes(b"PAR1 scores PAR1")
    second = tmp_path / "bbbb.parquet"
    shutil.copyfile(first, second)
    one, two = pack_plan(TINY, str(first)), pack_plan(TINY, str(second))
    assert one.files == two.files and one.scores == two.scores
    assert one.key != two.key
    assert pack_plan(TINY, str(first)).key == one.key  # and stays the same for the same input
