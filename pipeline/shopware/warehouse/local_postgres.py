"""A throwaway PostgreSQL cluster for tests and local demos: initdb in a temp dir, a free loopback port.

PostgreSQL refuses to run as root; as root the cluster runs as an unprivileged account (`pgtest`,
created if missing, else `nobody`). Nothing is kept: the data directory is removed on exit.
"""

from __future__ import annotations

import glob
import os
import pwd
import secrets
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from shopware.ingestion.loopback import free_port

_PG_TEST_USER = "pgtest"


def _pg_tool(name: str) -> str:
    """A PostgreSQL server program: on PATH, else from Debian's versioned directory (newest first)."""
    found = shutil.which(name) or next(
        iter(sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))[::-1]), None
    )
    if found is None:
        raise FileNotFoundError(
            f"{name} not found: install the PostgreSQL server (Debian: apt-get install postgresql)"
        )
    return found


def _postgres_account() -> pwd.struct_passwd | None:
    """The unprivileged account to run PostgreSQL as when we are root (it refuses to run as root)."""
    if os.geteuid() != 0:
        return None
    try:
        return pwd.getpwnam(_PG_TEST_USER)
    except KeyError:
        pass
    created = subprocess.run(
        ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", _PG_TEST_USER],
        capture_output=True,
        check=False,
    )
    return pwd.getpwnam(_PG_TEST_USER if created.returncode == 0 else "nobody")


def _wait_ready(
    pg_isready: str, port: int, server: subprocess.Popen[bytes], log: Path, timeout_s: float = 30.0
) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"postgres exited with {server.returncode}:\n{log.read_text()}")
        ready = subprocess.run(
            [pg_isready, "-h", "127.0.0.1", "-p", str(port), "-q"], check=False, capture_output=True
        )
        if ready.returncode == 0:
            return
        time.sleep(0.1)
    raise RuntimeError(f"postgres not ready after {timeout_s}s:\n{log.read_text()}")


@contextmanager
def throwaway_postgres() -> Iterator[str]:
    """A throwaway PostgreSQL cluster on a free loopback port while the block runs; yields the
    superuser's conninfo. The cluster and its data directory are removed afterwards.

    The superuser is `postgres` with a random password (password auth over TCP, as for team logins).
    As root, the cluster runs as the unprivileged `pgtest` account (created if missing, else `nobody`).
    """
    initdb, postgres, pg_isready = _pg_tool("initdb"), _pg_tool("postgres"), _pg_tool("pg_isready")
    account = _postgres_account()
    # Not under the caller's temp dirs: their parents may be private to root, and the server runs as
    # another user.
    base = Path(tempfile.mkdtemp(prefix="shopware-pg-"))
    data, log = base / "data", base / "postgres.log"
    password = secrets.token_urlsafe(16)
    (base / "pwfile").write_text(password + "\n")
    uid = gid = None
    if account is not None:
        uid, gid = account.pw_uid, account.pw_gid
        os.chown(base, uid, gid)
        os.chown(base / "pwfile", uid, gid)
    env = {**os.environ, "LC_ALL": "C", "LANG": "C"}
    subprocess.run(
        [
            initdb,
            "--pgdata",
            str(data),
            "--username",
            "postgres",
            "--pwfile",
            str(base / "pwfile"),
            "--auth-local",
            "trust",
            "--auth-host",
            "scram-sha-256",
            "--encoding",
            "UTF8",
            "--locale",
            "C",
            "--no-sync",
        ],
        check=True,
        capture_output=True,
        env=env,
        cwd=base,
        user=uid,
        group=gid,
    )
    port = free_port()
    with log.open("wb") as log_handle:
        server = subprocess.Popen(
            [
                postgres,
                "-D",
                str(data),
                "-p",
                str(port),
                "-c",
                "listen_addresses=127.0.0.1",
                "-c",
                f"unix_socket_directories={base}",
                # A throwaway cluster: durability is not needed, speed is.
                "-c",
                "fsync=off",
                "-c",
                "synchronous_commit=off",
                "-c",
                "full_page_writes=off",
            ],
            stdout=log_handle,
            stderr=subprocess.STDOUT,
            env=env,
            cwd=base,
            user=uid,
            group=gid,
        )
    try:
        _wait_ready(pg_isready, port, server, log)
        yield f"host=127.0.0.1 port={port} user=postgres password={password} dbname=postgres"
    finally:
        server.send_signal(signal.SIGINT)  # fast shutdown: roll back sessions, then exit
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        shutil.rmtree(base, ignore_errors=True)
