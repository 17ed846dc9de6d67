"""Shared fixtures. Ingest runs use one Prefect test server for the whole session (a fresh ephemeral
server per run costs about 10 s here); the CLI tests start their own, as a user's run would."""

from __future__ import annotations

import glob
import io
import os
import shutil
import tempfile
from dataclasses import dataclass

import duckdb
import pytest
from hypothesis import HealthCheck, settings

# Fuzzing (tests/test_fuzz_parsers.py): bounded in CI, many more examples under `make fuzz`.
settings.register_profile("ci", max_examples=300, deadline=None, derandomize=True,  # the same examples each run
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("fuzz", max_examples=20_000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SAMPLE_DIR = os.path.join(ROOT, "sample_docs")
SAMPLE_PDFS = sorted(glob.glob(os.path.join(SAMPLE_DIR, "*.pdf")))
CORPUS = os.path.normpath(os.path.join(ROOT, "..", "shared", "corpus"))
DC_PDFS = os.path.join(CORPUS, "dc-bega-2018-03-13", "pdfs")
STATE_PDFS = os.path.join(CORPUS, "state-clinton-F-2015-04841", "pdfs")
SCANNED_SAMPLE = os.path.join(SAMPLE_DIR, "PHPD-000105_FaceQuill_pilot_scanned.pdf")
SAMPLE_GAZETTEER = os.path.join(SAMPLE_DIR, "gazetteer.csv")  # the sample's invented vendor, product, agency
DEMO_SAMPLE = os.path.join(SAMPLE_DIR, "PHPD-000101_FaceQuill_demo_invitation.pdf")


def compute_here(path: str):
    """compute_document of one file as a run computes it (found, hashed and described as discovery does), with its
    page work in this process (InlinePool), so that a test can count or break what it calls."""
    from extractors.pages.sources import discover_sources
    from flows.document_compute import Workbench, compute_document
    from flows.page_pool import InlinePool
    from flows.plan import describe_document
    from models.settings import IngestSettings

    settings = IngestSettings(workers=1)
    # What discovery unpacks and conversion prints goes to a scratch folder, never beside the fixture.
    with tempfile.TemporaryDirectory(prefix="foia-compute-") as work_dir:
        (source,) = discover_sources([path], work_dir, settings).sources
        source, record = describe_document(source, work_dir)
        return compute_document(Workbench(InlinePool(), settings), source, record)


@pytest.fixture(scope="session")
def analyzer():
    """The real spaCy model and shipped gazetteers, loaded once."""
    pytest.importorskip("spacy")
    from extractors.analysis.entities import AnalyzerSettings, get_analyzer  # noqa: PLC0415 - spaCy loads only when needed

    return get_analyzer(AnalyzerSettings())


def body_message(body: str, sender_name: str | None = None):
    """A message with this body (each line's words numbered 0, 1, ... on page 1), built in memory."""
    from models.records import MessageLine, MessagePerson, MessageRecord  # noqa: PLC0415

    sender = MessagePerson(sender_name, None, None, False, sender_name) if sender_name else None
    lines = [MessageLine("body", 1, "text_layer", tuple(range(len(line.split(" ")))), line)
             for line in body.split("\n")]
    return MessageRecord(0, None, 0, "header_block", "primary", sender, None, None, None, "missing", None, None,
                         body, [], [], lines)


def needs_corpus(path: str):
    return pytest.mark.skipif(not os.path.exists(path),
                              reason=f"real corpus not found at {path} (it lives in ../shared/corpus beside the "
                                     "project; a user's clone has none)")


@dataclass
class IngestResult:
    code: int
    out: str
    err: str


@pytest.fixture(scope="session")
def prefect_server(tmp_path_factory):
    os.environ["PREFECT_HOME"] = str(tmp_path_factory.mktemp("prefect-home"))
    from flows.terminal import configure_prefect_environment

    configure_prefect_environment()
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=180):
        yield


@pytest.fixture(scope="session")
def ingest(prefect_server):
    """ingest(paths, db, **settings) runs the real flow in-process and returns code, stdout, stderr."""
    from flows.ingest import IngestRequest, run_ingest
    from models.settings import IngestSettings

    def run(paths, db, release=None, agency=None, **settings) -> IngestResult:
        out, err = io.StringIO(), io.StringIO()
        request = IngestRequest(paths=[str(p) for p in paths], db_path=str(db), release=release, agency=agency,
                                settings=IngestSettings(**{"workers": 2, **settings}), quiet_prefect=False)
        code = run_ingest(request, out, err)
        if code in (0, 1) and os.path.exists(str(db)):  # every database the tests build must be whole
            from models.integrity import check_database

            con = duckdb.connect(str(db), read_only=True)
            try:
                problems = check_database(con)
            finally:
                con.close()
            assert problems == [], f"foia check fails on {db}: {problems}"
        return IngestResult(code, out.getvalue(), err.getvalue())

    return run


@pytest.fixture(scope="session")
def sample_db(ingest, tmp_path_factory):
    db = tmp_path_factory.mktemp("sample") / "sample.duckdb"
    result = ingest(SAMPLE_PDFS, db, release="sample", gazetteer_files=(SAMPLE_GAZETTEER,))
    assert result.code == 0, result.out + result.err
    return str(db)


@pytest.fixture
def sample_copy(tmp_path):
    """A writable folder holding copies of two sample documents."""
    folder = tmp_path / "release"
    folder.mkdir()
    for path in (DEMO_SAMPLE, os.path.join(SAMPLE_DIR, "PHPD-000107_thank_you_webmail.pdf")):
        shutil.copy(path, folder)
    return folder


def query(db: str, sql: str, params=None):
    import duckdb

    con = duckdb.connect(db, read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def altered_copy(db: str, folder, *statements: str) -> str:
    """A copy of the database in folder, changed by the statements: the session's databases are only read."""
    import duckdb

    copy = os.path.join(str(folder), f"altered-{len(os.listdir(str(folder)))}.duckdb")
    shutil.copy(db, copy)
    con = duckdb.connect(copy)
    try:
        for statement in statements:
            con.execute(statement)
    finally:
        con.close()
    return copy


# Columns that differ between two runs loading the same files (which run, and when).
VOLATILE = {"documents": ["run_id", "loaded_at"], "releases": ["created_at"],
            "ingest_errors": ["error_id", "run_id", "created_at"]}


def table_checksums(db: str, also_volatile: dict[str, list[str]] | None = None) -> dict[str, tuple]:
    """Each table's row count and a digest of its rows (less VOLATILE columns, and also_volatile's): equal for equal
    databases."""
    volatile = {table: VOLATILE.get(table, []) + (also_volatile or {}).get(table, [])
                for table in {*VOLATILE, *(also_volatile or {})}}
    import duckdb

    con = duckdb.connect(db, read_only=True)
    try:
        tables = [name for (name,) in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main' "
            "AND table_name NOT IN ('ingest_runs', 'schema_migrations')").fetchall()]
        sums = {}
        for table in tables:
            columns = f"* EXCLUDE ({', '.join(volatile[table])})" if table in volatile else "*"
            sums[table] = con.execute(
                f"SELECT count(*), md5(coalesce(string_agg(r::VARCHAR, '|' ORDER BY r::VARCHAR), '')) "
                f"FROM (SELECT {columns} FROM {table}) r").fetchone()
        return sums
    finally:
        con.close()
