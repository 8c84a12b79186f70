"""A throwaway PostgreSQL primary and its streaming replica on this machine, for the replica
test (haven/core/tests/test_replica.py) and `make loadtest` (bench/loadtest.py).

PostgreSQL's own tools only: `initdb` makes the primary in a temporary folder, `pg_basebackup
--write-recovery-conf` copies it into a standby that streams from it. Both listen on 127.0.0.1
on free ports. PostgreSQL refuses to run as root, so as root the servers run as the `postgres`
user (`runuser`). Durability is switched off (fsync): the data is thrown away after.

    with replica_pair() as pair:
        pair.primary_url("haven"), pair.replica_url("haven")
"""

import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path


def postgres_bin() -> Path | None:
    """The folder of PostgreSQL's server programs (initdb, pg_ctl), or None."""
    configured = os.environ.get("HAVEN_PG_BIN")
    candidates = [Path(configured)] if configured else []
    candidates += sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)
    found = shutil.which("initdb")
    if found:
        candidates.append(Path(found).parent)
    for folder in candidates:
        if (folder / "initdb").exists() and (folder / "pg_basebackup").exists():
            return folder
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Pair:
    folder: Path
    primary_port: int
    replica_port: int

    def primary_url(self, name: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.primary_port}/{name}"

    def replica_url(self, name: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.replica_port}/{name}"


def _as_server_user(args: list[str]) -> list[str]:
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *args]
    return args


def _run(args: list[str]) -> None:
    done = subprocess.run(_as_server_user(args), capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"{' '.join(args)} failed:\n{done.stdout}{done.stderr}")


def wait_for_replay(pair: Pair, timeout: float = 30) -> None:
    """Wait until the replica has replayed everything the primary has written so far."""
    import psycopg

    with psycopg.connect(pair.primary_url("postgres"), autocommit=True) as primary:
        target = primary.execute("SELECT pg_current_wal_lsn()").fetchone()[0]
    deadline = time.monotonic() + timeout
    with psycopg.connect(pair.replica_url("postgres"), autocommit=True) as replica:
        while True:
            behind = replica.execute(
                "SELECT pg_wal_lsn_diff(%s, pg_last_wal_replay_lsn())", [target]
            ).fetchone()[0]
            if behind is not None and behind <= 0:
                return
            if time.monotonic() > deadline:
                raise TimeoutError(f"the replica is still {behind} bytes behind")
            time.sleep(0.05)


def _wait_ready(bin_dir: Path, port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while subprocess.run(
        [str(bin_dir / "pg_isready"), "-q", "-h", "127.0.0.1", "-p", str(port)]
    ).returncode:
        if time.monotonic() > deadline:
            raise TimeoutError(f"PostgreSQL on port {port} did not start")
        time.sleep(0.1)


@contextmanager
def replica_pair(folder: Path | None = None, *, keep: bool = False) -> Iterator[Pair]:
    """Start a primary and a streaming replica of it; stop and remove them after."""
    bin_dir = postgres_bin()
    if bin_dir is None:
        raise RuntimeError("PostgreSQL's server programs (initdb, pg_basebackup) are not installed")
    folder = Path(folder or tempfile.mkdtemp(prefix="haven-replica-"))
    folder.mkdir(parents=True, exist_ok=True)
    primary, replica = folder / "primary", folder / "replica"
    pair = Pair(folder, _free_port(), _free_port())
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    pg_ctl = str(bin_dir / "pg_ctl")
    started = []
    try:
        _run(
            [str(bin_dir / "initdb"), "-D", str(primary), "-U", "postgres", "-A", "trust"]
            + ["--no-sync", "-E", "UTF8", "--locale=C.UTF-8"]
        )
        settings = {
            "listen_addresses": "'127.0.0.1'",
            "unix_socket_directories": f"'{folder}'",
            "wal_level": "replica",
            "max_wal_senders": "4",
            "hot_standby": "on",
            "fsync": "off",
            "synchronous_commit": "off",
            "full_page_writes": "off",
            "shared_buffers": "64MB",
            "max_connections": "300",
        }
        with open(primary / "postgresql.conf", "a") as conf:
            conf.writelines(f"{key} = {value}\n" for key, value in settings.items())
        _run(
            [pg_ctl, "-D", str(primary), "-l", str(folder / "primary.log"), "-w"]
            + ["-o", f"-p {pair.primary_port}", "start"]
        )
        started.append(primary)
        _wait_ready(bin_dir, pair.primary_port)
        _run(
            [str(bin_dir / "pg_basebackup"), "-h", "127.0.0.1", "-p", str(pair.primary_port)]
            + ["-U", "postgres", "-D", str(replica), "--write-recovery-conf", "-X", "stream"]
            + ["--no-sync", "--checkpoint=fast"]
        )
        _run(
            [pg_ctl, "-D", str(replica), "-l", str(folder / "replica.log"), "-w"]
            + ["-o", f"-p {pair.replica_port}", "start"]
        )
        started.append(replica)
        _wait_ready(bin_dir, pair.replica_port)
        yield pair
    finally:
        for data in reversed(started):
            subprocess.run(
                _as_server_user([pg_ctl, "-D", str(data), "-m", "immediate", "-w", "stop"]),
                capture_output=True,
            )
        if not keep:
            shutil.rmtree(folder, ignore_errors=True)
