"""planmon.build.remote: what a job carries to a worker that shares no disk with the client."""

from __future__ import annotations

import shutil
from pathlib import Path

from planmon.build.remote import PlanPayload, _plan_in_use, pack_plan

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


def _payload(number: int) -> PlanPayload:
    files = {"plan.yaml": f"city {number}\n".encode()}
    return PlanPayload(f"{number:064x}", files)


def _kept(home: Path) -> set[str]:
    return {path.name for path in home.iterdir() if path.is_dir() and not path.name.startswith(".")}


def test_a_plan_is_unpacked_once_and_reused(tmp_path):
    payload = _payload(1)
    with _plan_in_use(payload, tmp_path, keep=2) as folder:
        assert (folder / "plan" / "plan.yaml").read_bytes() == b"city 1\n"
        (folder / "plan" / ".planmon").mkdir()  # a kernel's parse cache
    with _plan_in_use(payload, tmp_path, keep=2) as again:
        assert again == folder and (again / "plan" / ".planmon").is_dir()  # not unpacked afresh


def test_a_worker_keeps_only_the_plans_it_used_last(tmp_path):
    # 5 cities through a worker that keeps 2: the last two stay, whatever order they came in
    for number in (1, 2, 3, 4, 1):
        with _plan_in_use(_payload(number), tmp_path, keep=2):
            pass
    assert _kept(tmp_path) == {_payload(4).key, _payload(1).key}
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # nothing half-removed


def test_a_plan_in_use_is_never_removed(tmp_path):
    # a job holds city 1 (its lock held shared, as another worker process would) while other
    # jobs come and go: city 1 survives every eviction and its files stay readable
    busy = _payload(1)
    with _plan_in_use(busy, tmp_path, keep=1) as folder:
        for number in (2, 3, 4):
            with _plan_in_use(_payload(number), tmp_path, keep=1):
                pass
            assert (folder / "plan" / "plan.yaml").is_file()
    # once it is released, the next eviction may take it, the one used last stays
    with _plan_in_use(_payload(5), tmp_path, keep=1):
        pass
    assert _kept(tmp_path) == {_payload(5).key}


def test_a_plan_being_unpacked_is_not_taken_for_a_kept_one(tmp_path):
    # another job's staging folder (".<key>.<random>", with its marker written just before the
    # rename) is not a plan to evict: removing it would leave that job without its plan
    staging = tmp_path / ".000000000000.abcd"
    staging.mkdir()
    (staging / ".complete").write_text("")
    for number in (1, 2):
        with _plan_in_use(_payload(number), tmp_path, keep=1):
            pass
    assert staging.is_dir()
