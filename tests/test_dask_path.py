"""The Dask path (issue 17): documents computed on a distributed.LocalCluster of two worker processes through
prefect-dask, loaded by the one writer, give the same database as the local path."""

from __future__ import annotations

import io
import time
import zipfile

import pytest

from tests.conftest import DEMO_SAMPLE, SAMPLE_GAZETTEER, SAMPLE_PDFS, query, table_checksums
from tests.test_native_email import forward_with_attachments

pytest.importorskip("distributed")
pytest.importorskip("prefect_dask")


@pytest.fixture(scope="module")
def cluster():
    import dask
    from distributed import LocalCluster

    # Not daemons, so that each worker may keep a process pool for its pages, as the README tells users to set.
    with dask.config.set({"distributed.worker.daemon": False}):
        with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") as local:
            yield local


def _pools_per_worker(cluster) -> dict[str, int]:
    from distributed import Client

    def pools() -> int:
        from flows import cluster as on_worker

        return len(on_worker._POOLS)

    with Client(cluster) as client:
        return client.run(pools)


def test_the_sample_release_computed_on_two_dask_workers_is_the_local_database(ingest, sample_db, cluster,
                                                                                tmp_path, monkeypatch):
    from flows import prefect_flow

    monkeypatch.setattr(prefect_flow, "PAGES_PER_TASK", 1)  # a task a document: both workers get some
    db = str(tmp_path / "cluster.duckdb")
    result = ingest(SAMPLE_PDFS, db, release="sample", gazetteer_files=(SAMPLE_GAZETTEER,),
                    dask_address=cluster.scheduler_address)
    assert result.code == 0, result.out + result.err
    assert table_checksums(db) == table_checksums(sample_db)
    assert sorted(_pools_per_worker(cluster).values()) == [1, 1]  # both workers computed documents


def test_zip_members_and_attachments_travel_to_the_workers_and_load_as_locally(ingest, cluster, tmp_path):
    """A zip's members and an email's attachments exist only in the writer's temp folder: their bytes go with
    their task, and the children come back as documents of their own, as on the local path."""
    with open(DEMO_SAMPLE, "rb") as handle:
        forward = forward_with_attachments(handle.read())
    folder = tmp_path / "release"
    folder.mkdir()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mail/forward.eml", forward)
    (folder / "mail.zip").write_bytes(buffer.getvalue())
    local, clustered = str(tmp_path / "local.duckdb"), str(tmp_path / "cluster.duckdb")
    assert ingest([folder], local, release="r", gazetteer_files=(SAMPLE_GAZETTEER,)).code == 1  # the cut PNG
    result = ingest([folder], clustered, release="r", gazetteer_files=(SAMPLE_GAZETTEER,),
                    dask_address=cluster.scheduler_address)
    assert result.code == 1, result.out + result.err
    assert query(clustered, "SELECT kind, count(*) FROM documents GROUP BY 1 ORDER BY 1") == [("eml", 2), ("pdf", 1)]
    # A zip member's time is when it was unpacked, and the error names the run's temp folder: both vary by run.
    varying = {"documents": ["file_modified_at"], "ingest_errors": ["reason"]}
    assert table_checksums(clustered, varying) == table_checksums(local, varying)


def test_no_scheduler_at_the_address_is_a_clear_refusal_before_any_work(ingest, tmp_path):
    db = tmp_path / "refused.duckdb"
    result = ingest([DEMO_SAMPLE], db, dask_address="tcp://127.0.0.1:9")
    assert result.code == 2
    assert "no Dask scheduler answers at tcp://127.0.0.1:9" in result.err
    assert not db.exists()


@pytest.mark.parametrize("daemon, pool", [(True, "InlinePool"), (False, "PagePool")])
def test_a_dask_worker_computes_in_its_own_pool_or_itself_and_leaves_no_process(ingest, tmp_path, daemon, pool):
    """Dask's default workers are daemons, which may not start processes: they compute the pages themselves
    (flows/page_pool.py InlinePool). Others keep a pool of their own, whose processes end with the worker."""
    import dask
    from distributed import Client, LocalCluster

    from flows.reaper import TOKEN_VARIABLE, processes_carrying

    local, clustered = str(tmp_path / "local.duckdb"), str(tmp_path / "cluster.duckdb")
    assert ingest([DEMO_SAMPLE], local, release="r").code == 0

    def pool_kinds() -> tuple[list[str], str | None]:
        import os

        from flows import cluster as on_worker

        return [type(pool).__name__ for pool in on_worker._POOLS.values()], os.environ.get(TOKEN_VARIABLE)

    with (dask.config.set({"distributed.worker.daemon": daemon}),  # (the module's cluster is not a daemon)
          LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=":0") as one):
        result = ingest([DEMO_SAMPLE], clustered, release="r", dask_address=one.scheduler_address)
        assert result.code == 0, result.out + result.err
        with Client(one) as client:
            (kinds, token), = client.run(pool_kinds).values()
    assert kinds == [pool]
    assert table_checksums(clustered) == table_checksums(local)
    if token is not None:  # the worker's pool processes carry its token, and end with it
        deadline = time.monotonic() + 20
        while processes_carrying(token) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert processes_carrying(token) == []
