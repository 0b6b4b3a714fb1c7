"""What the benchmarks that drive the demo's simulator share: their options, and a fresh database (SQLite in a
temporary directory, or a PostgreSQL database of the benchmark's own, dropped at the end)."""

from __future__ import annotations

import argparse
import os

PG = "postgresql://postgres@127.0.0.1:5432"


def options(description: str, rounds: int) -> argparse.Namespace:
    """--postgres, --quick, --rounds (default `rounds`), --per-day, --days; --quick makes them small."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--postgres", action="store_true", help="Run on PostgreSQL instead of SQLite.")
    parser.add_argument("--quick", action="store_true", help="Few rounds, to check the script.")
    parser.add_argument("--rounds", type=int, default=rounds, help="Simulator runs, each with its own seed.")
    parser.add_argument("--per-day", type=int, default=16, help="Dossiers per simulated working day.")
    parser.add_argument("--days", type=int, default=7, help="Calendar days each run simulates.")
    args = parser.parse_args()
    if args.quick:
        args.rounds, args.per_day, args.days = 1, 6, 3
    return args


def fresh_database(postgres: bool, data_dir: str, db_name: str) -> None:
    """Point Django (not set up yet) at an empty database and `data_dir` for its files."""
    os.environ["MOTCUA_DATA_DIR"] = data_dir
    os.environ["DJANGO_SETTINGS_MODULE"] = "motcua.settings"
    if postgres:
        import psycopg

        with psycopg.connect(f"{PG}/postgres", autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {db_name} WITH (FORCE)")
            admin.execute(f"CREATE DATABASE {db_name}")
        os.environ["DATABASE_URL"] = f"{PG}/{db_name}"
    else:
        os.environ["DATABASE_URL"] = f"sqlite:///{data_dir}/bench.sqlite3"


def drop_database(db_name: str) -> None:
    """Drop the PostgreSQL database `fresh_database` made, once Django's connections are closed."""
    import psycopg
    from django.db import connections

    connections.close_all()
    with psycopg.connect(f"{PG}/postgres", autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {db_name} WITH (FORCE)")
