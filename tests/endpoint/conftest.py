"""Fixtures of the form endpoint's tests. Helpers are in endpoint_testing.py."""

from __future__ import annotations

import pytest

from endpoint_testing import Clock, PostgresCluster, SmtpServer, make_project


@pytest.fixture
def ep_project(tmp_path):
    return make_project(tmp_path)


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture(scope="session")
def pg_cluster():
    cluster = PostgresCluster()
    cluster.start()
    yield cluster
    cluster.stop()


@pytest.fixture
def pg_url(pg_cluster, request):
    """A fresh database on the session's PostgreSQL cluster, dropped afterwards."""
    import psycopg

    name = f"t_{abs(hash(request.node.nodeid)) % 10**12}"
    with psycopg.connect(pg_cluster.url("postgres"), autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name}")
        conn.execute(f"CREATE DATABASE {name}")
    yield pg_cluster.url(name)
    with psycopg.connect(pg_cluster.url("postgres"), autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture(params=["sqlite", "postgres"])
def storage(request, tmp_path):
    """Each storage backend, migrated and empty."""
    from hasselthelpt.endpoint.storage import PostgresStorage, SQLiteStorage

    if request.param == "sqlite":
        store = SQLiteStorage(tmp_path / "db.sqlite3")
    else:
        store = PostgresStorage(request.getfixturevalue("pg_url"))
    store.migrate()
    yield store
    store.close()


@pytest.fixture
def smtp():
    server = SmtpServer()
    server.start()
    yield server
    server.stop()
