"""Atomic writes (sim/io.py): a crash mid-write leaves the previous file whole and no fragment; the file gets
the permissions of any file the user makes (umask), not mkstemp's private 0600."""

import os
import stat

import pandas as pd
import pytest

from sim.io import atomic_write_json, atomic_write_parquet, atomic_write_text


def test_a_failed_write_keeps_the_previous_file_and_leaves_no_fragment(tmp_path):
    path = tmp_path / "t.parquet"
    atomic_write_parquet(path, pd.DataFrame({"a": [1, 2]}))

    class Broken(pd.DataFrame):
        def to_parquet(self, *args, **kwargs):
            with open(args[0], "w") as fh:
                fh.write("half")
            raise RuntimeError("disk full")

    with pytest.raises(RuntimeError, match="disk full"):
        atomic_write_parquet(path, Broken({"a": [3]}))
    assert pd.read_parquet(path)["a"].tolist() == [1, 2]
    assert [p.name for p in tmp_path.iterdir()] == ["t.parquet"]


def test_written_files_follow_the_umask(tmp_path):
    old = os.umask(0o022)
    try:
        atomic_write_text(tmp_path / "a.txt", "x")
        atomic_write_json(tmp_path / "b.json", {"k": 1})
    finally:
        os.umask(old)
    for name in ("a.txt", "b.json"):
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o644
    assert (tmp_path / "b.json").read_text() == '{\n  "k": 1\n}\n'
