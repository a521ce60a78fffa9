"""duckdb, pandas and pyarrow read the Parquet files with the types fields.py declares."""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from memwall.fields import PROVENANCE, TABLES

pytestmark = pytest.mark.slow

ALL_FIELDS = {**TABLES, "provenance": PROVENANCE}
ARROW = {"string": (pa.string(), pa.large_string()), "int64": (pa.int64(),)}
ARROW |= {"float64": (pa.float64(),), "date": (pa.date32(),)}
DUCKDB = {"string": "VARCHAR", "int64": "BIGINT", "float64": "DOUBLE", "date": "DATE"}
PANDAS = {"string": ("object", "str", "string"), "int64": ("Int64",), "float64": ("Float64",)}
PANDAS |= {"date": ("object",)}


@pytest.mark.parametrize("table", list(ALL_FIELDS))
def test_pyarrow_reads_the_declared_types(built_repo, table):
    schema = pq.read_schema(built_repo / f"processed/{table}.parquet")
    for f in ALL_FIELDS[table]:
        assert schema.field(f.name).type in ARROW[f.dtype], (f.name, schema.field(f.name).type)
        assert schema.field(f.name).nullable  # nullability is checked by the pandera gate


@pytest.mark.parametrize("table", list(ALL_FIELDS))
def test_duckdb_reads_the_declared_types(built_repo, table):
    path = (built_repo / f"processed/{table}.parquet").as_posix()
    described = duckdb.sql(f"DESCRIBE SELECT * FROM read_parquet('{path}')").fetchall()
    assert [(name, dtype) for name, dtype, *_ in described] == [
        (f.name, DUCKDB[f.dtype]) for f in ALL_FIELDS[table]
    ]


def test_duckdb_answers_a_question_with_dates_and_counts(built_repo):
    path = (built_repo / "processed/models.parquet").as_posix()
    [(published, params)] = duckdb.sql(
        f"SELECT published, params FROM read_parquet('{path}') WHERE model_id = 'gpt-3'"
    ).fetchall()
    assert published == dt.date(2020, 5, 28) and params == 175_000_000_000


@pytest.mark.parametrize("table", list(TABLES))
def test_pandas_reads_dates_as_dates_and_counts_as_integers(built_repo, table):
    frame = pd.read_parquet(
        built_repo / f"processed/{table}.parquet", dtype_backend="numpy_nullable"
    )
    for f in TABLES[table]:
        assert str(frame[f.name].dtype) in PANDAS[f.dtype], (f.name, frame[f.name].dtype)
        if f.dtype == "date":
            assert all(isinstance(v, dt.date) for v in frame[f.name].dropna())
    if table == "models":
        gpt3 = frame.set_index("model_id").loc["gpt-3"]
        assert gpt3["params"] == 175_000_000_000 and gpt3["published"] == dt.date(2020, 5, 28)
