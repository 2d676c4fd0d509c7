"""A throw-away PostgreSQL server for the tests: its own cluster in a fresh temporary folder.

The cluster listens on a unix socket in that folder only (no TCP port: nothing off this machine
can reach it, and it clashes with no other server), trusts the local socket, and runs with fsync
off (a test server loses nothing worth keeping to a power cut). `initdb` refuses to run as root,
so as root the programs run as the `postgres` system user (Debian's package creates it).

Test modules load this as a plugin (`pytest_plugins = ["tests.pg_support"]`), so its
session-scoped `postgres_cluster` is started once however many modules use it, and is always
stopped, its folder removed, at the end of the session. `postgres_url` gives each test a new,
empty database in it.
"""

from __future__ import annotations

import atexit
import importlib.util
import os
import pwd
import shlex
import shutil
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest

ROOT = Path(__file__).resolve().parent.parent
PORT = 5432          # only names the socket file (.s.PGSQL.5432) inside the private folder
SUPERUSER = "postgres"


def bin_folder() -> Path:
    """Where initdb and pg_ctl are (tools/find_postgres.py decides; `make test` installs them if it can)."""
    spec = importlib.util.spec_from_file_location("find_postgres", ROOT / "tools" / "find_postgres.py")
    assert spec is not None and spec.loader is not None
    finder = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(finder)
    found = finder.find()
    if found is None:
        raise RuntimeError(finder.HOW_TO_INSTALL)
    return found


class Cluster:
    """One PostgreSQL cluster in a temporary folder, as the current user or (as root) as `postgres`."""

    def __init__(self, programs: Path):
        self.programs = programs
        self.as_user = self._system_user() if os.geteuid() == 0 else None
        self.folder = Path(tempfile.mkdtemp(prefix="m56pg-"))   # short: a socket's path has ~100 characters
        self.data = self.folder / "data"
        self.started_in = 0.0
        self.running = False
        if self.as_user is not None:
            os.chown(self.folder, self.as_user.pw_uid, self.as_user.pw_gid)

    @staticmethod
    def _system_user() -> pwd.struct_passwd:
        try:
            return pwd.getpwnam("postgres")
        except KeyError:
            raise RuntimeError("The tests run as root and initdb refuses root, but there is no `postgres` user to "
                               "run it as (Debian's postgresql package creates one): install it, or run the tests "
                               "as another user.") from None

    def _run(self, *args: str, timeout: float = 120) -> None:
        """A server program as the cluster's owner, in its folder (root's working folder may be closed to it)."""
        drop = {} if self.as_user is None else {"user": self.as_user.pw_uid, "group": self.as_user.pw_gid,
                                                "extra_groups": []}
        env = {"PATH": os.environ.get("PATH", ""), "LC_ALL": "C", "HOME": str(self.folder)}
        done = subprocess.run([str(self.programs / args[0]), *args[1:]], cwd=self.folder, env=env,
                              capture_output=True, text=True, timeout=timeout, **drop)
        if done.returncode != 0:
            log = self.folder / "server.log"
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise RuntimeError(f"{args[0]} failed ({done.returncode}): {done.stderr or done.stdout}\n{tail}")

    def start(self) -> None:
        began = time.monotonic()
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", SUPERUSER, "-E", "UTF8", "--locale=C",
                  "--no-sync")
        options = (f"-c listen_addresses='' -k {shlex.quote(str(self.folder))} -p {PORT} -c fsync=off -c synchronous_commit=off "
                   "-c full_page_writes=off -c max_connections=200")
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.folder / "server.log"), "-w", "-t", "60",
                  "-o", options, "start")
        self.running = True
        self.started_in = time.monotonic() - began

    def stop(self) -> None:
        """Stop the server (if it runs) and remove the folder: always, even after a failed start."""
        try:
            if self.running:
                self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop", timeout=60)
                self.running = False
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)

    def url(self, database: str = "postgres") -> str:
        """A libpq URL to `database` over the cluster's socket."""
        return f"postgresql://{SUPERUSER}@/{database}?host={quote(str(self.folder), safe='')}&port={PORT}"

    def new_database(self) -> str:
        """A new, empty database; its URL."""
        name = "t_" + uuid.uuid4().hex[:16]
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")   # a made-up identifier; CREATE DATABASE takes no parameters
        return self.url(name)

    def terminate(self, database_url: str, application_name: str) -> int:
        """Cut the server's end of every connection of `application_name` (a dropped network, a restart)."""
        with psycopg.connect(database_url, autocommit=True) as conn:
            rows = conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                "WHERE application_name = %s AND pid <> pg_backend_pid()",
                                (application_name,)).fetchall()
        return len(rows)


@pytest.fixture(scope="session")
def postgres_cluster() -> Iterator[Cluster]:
    cluster = Cluster(bin_folder())
    atexit.register(cluster.stop)   # a session stopped by force still removes its server
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.stop()
        atexit.unregister(cluster.stop)


@pytest.fixture
def postgres_url(postgres_cluster: Cluster) -> str:
    """A new, empty database for one test."""
    return postgres_cluster.new_database()
