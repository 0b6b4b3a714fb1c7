"""`python -m motcua.core.dbcheck URL`: exit 0 when the database at URL answers (used by `make test`)."""

import sys

import psycopg
from psycopg.conninfo import make_conninfo


def main(url: str) -> int:
    try:
        with psycopg.connect(make_conninfo(url, dbname="postgres"), connect_timeout=3) as conn:
            conn.execute("SELECT 1")
    except psycopg.Error:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
