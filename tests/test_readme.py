"""The README is the user's guide: its example SQL runs, and every table, column and option is documented."""

import os
import re

import pytest

from flows.cli import build_parser
from models import schema
from tests.conftest import ROOT, query

README = open(os.path.join(ROOT, "README.md"), encoding="utf-8").read()
SQL_BLOCKS = re.findall(r"```sql\n(.*?)```", README, re.S)


def test_readme_has_three_example_queries():
    assert len(SQL_BLOCKS) >= 3


@pytest.mark.parametrize("sql", SQL_BLOCKS, ids=[f"query{i + 1}" for i in range(len(SQL_BLOCKS))])
def test_readme_queries_answer_on_the_sample_release(sample_db, sql):
    rows = query(sample_db, sql)
    assert rows, "the README's example returns nothing on the sample release"


def _section(table: str) -> str:
    match = re.search(rf"^### `{table}`.*?(?=^### |^## )", README, re.S | re.M)
    assert match, f"README has no section for table {table}"
    return match.group(0)


def test_every_table_and_column_is_documented(tmp_path):
    con = schema.connect(str(tmp_path / "empty.duckdb"))
    columns = con.execute("""SELECT table_name, column_name FROM information_schema.columns
                             WHERE table_schema = 'main' ORDER BY table_name, ordinal_position""").fetchall()
    con.close()
    assert columns
    missing = [f"{table}.{column}" for table, column in columns if f"`{column}`" not in _section(table)]
    assert missing == []


def test_every_command_line_option_is_documented():
    parser = build_parser()
    subparsers = next(action for action in parser._actions if action.choices and isinstance(action.choices, dict))
    for name, sub in subparsers.choices.items():
        assert f"foia {name}" in README
        for action in sub._actions:
            for option in action.option_strings:
                if option not in ("-h", "--help"):
                    assert option in README, f"foia {name} {option} is not in the README"


def test_schema_version_is_recorded_and_newer_databases_are_refused(tmp_path):
    path = str(tmp_path / "v.duckdb")
    schema.connect(path).close()
    con = schema.connect(path)  # a second open applies nothing
    assert con.execute("SELECT max(version), count(*) FROM schema_migrations").fetchone() == (
        schema.SCHEMA_VERSION, schema.SCHEMA_VERSION)
    con.execute("INSERT INTO schema_migrations (version, description) VALUES (99, 'from the future')")
    con.close()
    with pytest.raises(schema.SchemaError, match="newer than this tool"):
        schema.connect(path)
