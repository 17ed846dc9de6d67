"""The writer's working copy (models/working_copy.py): readers open the published file while a writer works, see
its last published state, and a killed writer's work is where the next one resumes."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import duckdb
import pytest

from models.working_copy import DatabaseBusy, WorkingCopy, working_path


def _count(path: str) -> int:
    """The releases a reader finds, in a process of its own (within one process DuckDB shares an open file)."""
    script = (f"import duckdb; print(duckdb.connect({path!r}, read_only=True)"
              ".execute('SELECT count(*) FROM releases').fetchone()[0])")
    return int(subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout)


def _add_release(con, name: str) -> None:
    con.execute("INSERT INTO releases (release_id, name) VALUES ((SELECT coalesce(max(release_id), 0) + 1 "
                "FROM releases), ?)", [name])


def test_readers_see_the_last_published_state_while_a_writer_works(tmp_path):
    db = str(tmp_path / "db.duckdb")
    with WorkingCopy(db) as copy:
        _add_release(copy.open(), "first")
    assert _count(db) == 1 and not os.path.exists(working_path(db))
    with WorkingCopy(db, publish_every=0) as copy:
        con = copy.open()
        _add_release(con, "second")
        assert _count(db) == 1  # not published yet: readers open the file and answer from what it holds
        reader = duckdb.connect(db, read_only=True)
        copy.publish_if_due()
        assert _count(db) == 2
        assert reader.execute("SELECT count(*) FROM releases").fetchone()[0] == 1  # an open reader keeps its state
        reader.close()
        _add_release(con, "third")
    assert _count(db) == 3 and not os.path.exists(working_path(db))


def test_one_writer_at_a_time_and_the_second_is_told_which_process(tmp_path):
    db = str(tmp_path / "db.duckdb")
    with WorkingCopy(db):
        with pytest.raises(DatabaseBusy, match=f"is in use by process {os.getpid()}, an ingest or reparse"):
            WorkingCopy(db).__enter__()
    with WorkingCopy(db) as copy:  # the lock went with the first
        _add_release(copy.open(), "after")


def test_a_killed_writers_work_is_resumed_not_lost(tmp_path):
    db = str(tmp_path / "db.duckdb")
    with WorkingCopy(db) as copy:
        _add_release(copy.open(), "published")
    script = textwrap.dedent(f"""
        import os
        from models.working_copy import WorkingCopy
        con = WorkingCopy({db!r}).__enter__().open()
        con.execute("INSERT INTO releases (release_id, name) VALUES (2, 'loaded when killed')")
        os._exit(9)  # no publication, no checkpoint: as SIGKILL leaves it
    """)
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    assert subprocess.run([sys.executable, "-c", script], cwd=root).returncode == 9
    assert _count(db) == 1 and os.path.exists(working_path(db))
    with WorkingCopy(db) as copy:
        assert copy.resumed and copy.published() is None
        assert copy.open().execute("SELECT name FROM releases ORDER BY release_id").fetchall() == [
            ("published",), ("loaded when killed",)]
    assert _count(db) == 2


def test_a_session_holding_the_file_for_writing_is_not_cut_off(tmp_path):
    """`duckdb FILE` opens it for writing: a run does not start over it (its rename would cut the session off
    from the file), and says who holds it."""
    db = str(tmp_path / "db.duckdb")
    with WorkingCopy(db) as copy:
        _add_release(copy.open(), "first")
    script = f"import duckdb, sys, time; c = duckdb.connect({db!r}); print('open', flush=True); sys.stdin.read()"
    session = subprocess.Popen([sys.executable, "-c", script], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               text=True)
    try:
        assert session.stdout.readline().strip() == "open"
        with pytest.raises(DatabaseBusy, match=f"in use by process {session.pid} .*open for writing"):
            WorkingCopy(db).__enter__()
    finally:
        session.communicate("", timeout=30)
    with WorkingCopy(db) as copy:
        _add_release(copy.open(), "second")
    assert _count(db) == 2
