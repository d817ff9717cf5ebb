"""Where batch linkage runs its SQL: DuckDB in-process (default) or a local Spark session.

Both load the feature tables from Parquet files written chunk by chunk, run the same
blocking and verification SQL, and hand Splink its database API. DuckDB is given a
memory limit, a thread count and a spill directory, so a million records fit in a
few GB whatever the blocks; Spark is imported only when asked for.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Protocol

import pyarrow as pa
import pyarrow.parquet as pq

from guwah.model.errors import InvalidInput

DUCKDB_MEMORY = "5GB"
DUCKDB_THREADS = 2
FETCH = 10_000
BACKENDS = ("duckdb", "spark")


class Backend(Protocol):
    db_api: Any

    def load(self, table: str, data: pa.Table) -> None: ...

    def create(self, table: str, sql: str) -> None: ...

    def rows(self, sql: str) -> Iterator[tuple[Any, ...]]: ...

    def close(self) -> None: ...


class DuckDBBackend:
    def __init__(self, workdir: Path) -> None:
        import duckdb
        from splink import DuckDBAPI

        # in memory only, nothing spilled to disk: the tables hold people's names, and
        # a temporary file outside the encrypted archive would keep them in plaintext
        self.con = duckdb.connect(":memory:")
        self.con.execute(f"SET memory_limit = '{DUCKDB_MEMORY}'")
        self.con.execute(f"SET threads = {DUCKDB_THREADS}")
        self.con.execute("SET preserve_insertion_order = false")
        self.con.execute("SET temp_directory = ''")
        self.db_api = DuckDBAPI(self.con)

    def load(self, table: str, data: pa.Table) -> None:
        self.con.register("incoming", data)
        self.con.execute(f"CREATE TABLE {table} AS SELECT * FROM incoming")
        self.con.unregister("incoming")

    def create(self, table: str, sql: str) -> None:
        self.con.execute(f"CREATE TABLE {table} AS {sql}")

    def rows(self, sql: str) -> Iterator[tuple[Any, ...]]:
        cursor = self.con.cursor()  # its own cursor: the caller may query while reading
        cursor.execute(sql)
        while batch := cursor.fetchmany(FETCH):
            yield from batch
        cursor.close()

    def close(self) -> None:
        self.con.close()


class SparkBackend:
    """A Spark session with Splink's similarity functions: local (``local[2]``) unless
    ``GUWAH_SPARK_MASTER`` names a cluster (``spark://host:7077``), whose workers must
    then see the work directory (a shared file system)."""

    def __init__(self, workdir: Path) -> None:
        try:
            from pyspark.sql import SparkSession
        except ImportError:
            raise InvalidInput(
                "the spark linkage backend needs pyspark: pip install 'pyspark>=3.5,<5'"
            ) from None
        from splink import SparkAPI
        from splink.backends.spark import similarity_jar_location

        self.workdir = workdir
        self.spark = (
            SparkSession.builder.master(os.environ.get("GUWAH_SPARK_MASTER", "local[2]"))
            .appName("guwah-linkage")
            .config("spark.ui.enabled", "false")
            .config("spark.jars", similarity_jar_location())
            .config("spark.sql.shuffle.partitions", "8")
            .config("spark.local.dir", str(workdir))
            .getOrCreate()
        )
        self.spark.sparkContext.setLogLevel("ERROR")
        self.spark.sparkContext.setCheckpointDir(str(workdir / "checkpoints"))
        api: Any = SparkAPI  # its constructor has no type hints
        self.db_api = api(spark_session=self.spark, num_partitions_on_repartition=8)

    def load(self, table: str, data: pa.Table) -> None:
        # Spark reads files: the work directory (0700, deleted afterwards) holds them
        path = self.workdir / f"{table}.parquet"
        pq.write_table(data, path)
        self.spark.read.parquet(str(path)).createOrReplaceTempView(table)

    def create(self, table: str, sql: str) -> None:
        self.spark.sql(sql).persist().createOrReplaceTempView(table)

    def rows(self, sql: str) -> Iterator[tuple[Any, ...]]:
        for row in self.spark.sql(sql).toLocalIterator():
            yield tuple(row)

    def close(self) -> None:
        # its local directory is about to be removed: the next run starts a fresh session
        self.spark.stop()


def open_backend(name: str, workdir: Path) -> Backend:
    if name == "duckdb":
        return DuckDBBackend(workdir)
    if name == "spark":
        return SparkBackend(workdir)
    raise InvalidInput(f"unknown linkage backend {name!r}: use one of {', '.join(BACKENDS)}")
