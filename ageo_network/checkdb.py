"""`python -m ageo_network.checkdb`: exit with one clear sentence when PostgreSQL is unreachable."""

import os
import sys

import psycopg


def main() -> int:
    url = os.environ.get("DATABASE_URL", "")
    where = url.rsplit("@", 1)[-1]
    try:
        # The maintenance database: the named one may not exist yet (tests create their own).
        psycopg.connect(url, dbname="postgres", connect_timeout=5).close()
    except Exception:
        print(f"PostgreSQL に接続できません ({where}): start PostgreSQL or set DATABASE_URL.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
