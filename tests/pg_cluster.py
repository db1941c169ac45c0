"""A throwaway PostgreSQL cluster on 127.0.0.1, shared by the test suite and the benchmarks.

Debian's initdb refuses to run as root, so as root the server runs as the postgres user.
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def pg_bindir() -> Path | None:
    """Where initdb and pg_ctl live (Debian keeps them off PATH), or None when not installed."""
    try:
        out = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None
    bindir = Path(out)
    return bindir if (bindir / "initdb").exists() and (bindir / "pg_ctl").exists() else None


class PostgresCluster:
    """A private cluster in a temporary folder; it can be stopped and started again (fault tests)."""

    def __init__(self, bindir: Path | None = None):
        found = bindir or pg_bindir()
        if found is None:
            raise FileNotFoundError("PostgreSQL server binaries not found (apt-get install postgresql)")
        self.bindir = found
        self.base = Path(tempfile.mkdtemp(prefix="kapcourse-pg-"))
        self.port = free_port()
        self.as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self.as_postgres:
            shutil.chown(self.base, "postgres")

    def _run(self, *args: str) -> None:
        subprocess.run(self.as_postgres + list(args), check=True, capture_output=True, text=True)

    def start(self, fast: bool = True) -> "PostgresCluster":
        """initdb (the first time) and start the server; fast trades durability for speed."""
        data = self.base / "data"
        if not data.exists():
            self._run(str(self.bindir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres", "--no-sync")
        durability = "-c fsync=off -c synchronous_commit=off -c full_page_writes=off " if fast else ""
        opts = f"-p {self.port} -k {self.base} -c listen_addresses=127.0.0.1 {durability}-c max_connections=300"
        self._run(str(self.bindir / "pg_ctl"), "-D", str(data), "-o", opts, "-l", str(self.base / "log"), "-w", "start")
        return self

    def stop(self, mode: str = "fast") -> None:
        """Stop the server; the data stays until cleanup."""
        subprocess.run(self.as_postgres + [str(self.bindir / "pg_ctl"), "-D", str(self.base / "data"), "-m", mode,
                                           "-w", "stop"], capture_output=True)

    def url(self, database: str = "postgres") -> str:
        """SQLAlchemy URL of a database in this cluster."""
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        """Create (or re-create) a database and return its URL."""
        import psycopg

        with psycopg.connect(f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def cleanup(self) -> None:
        """Stop the server and delete the cluster."""
        self.stop()
        shutil.rmtree(self.base, ignore_errors=True)
