"""The worker as a real process: killed mid-batch and run again, it never sends a message
twice. The message in flight when it died is "uncertain" (it did leave), not resent."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from huey.contrib.djhuey import HUEY

from haven.audit.models import AuditAction, AuditEvent
from haven.audit.selectors import verify_chain
from haven.cases.models import Task
from haven.notices.models import Message, MessageStatus
from haven.notices.services import CRASH_ENV

ROOT = Path(settings.BASE_DIR)


@pytest.fixture
def huey_held():
    """Queueing kicks the worker after commit; here the worker is the subprocess, so the kick
    is only enqueued (never run in this process)."""
    HUEY.immediate = False
    yield
    HUEY.immediate = True
    HUEY.flush()


class SharedDatabase:
    """The test database as another process can open it. PostgreSQL: the test database itself.
    SQLite (in memory): copied to a file before the process runs and copied back after."""

    def __init__(self, tmp_path):
        self.vendor = connection.vendor
        self.file = tmp_path / "shared.sqlite3"

    def url(self) -> str:
        conf = connection.settings_dict
        if self.vendor == "sqlite":
            return f"sqlite:///{self.file}"
        auth = conf["USER"] + (f":{conf['PASSWORD']}" if conf["PASSWORD"] else "")
        return (
            f"postgres://{auth}@{conf['HOST'] or '127.0.0.1'}:{conf['PORT'] or 5432}/{conf['NAME']}"
        )

    def run(self, *args, env=None) -> subprocess.CompletedProcess:
        return self.run_together([args], env=env)[0]

    def run_together(self, arg_lists, env=None) -> list[subprocess.CompletedProcess]:
        """Start one worker per argument list at once, wait for all."""
        if self.vendor == "sqlite":
            connection.ensure_connection()
            target = sqlite3.connect(self.file)
            connection.connection.backup(target)
            target.close()
        else:
            connection.close()
        base_env = {k: v for k, v in os.environ.items() if k != CRASH_ENV}
        full_env = (
            base_env
            | {
                "DJANGO_SETTINGS_MODULE": "haven.settings_test",
                "HAVEN_DATABASE_URL": self.url(),
                "HAVEN_SMTP_HOST": settings.EMAIL_HOST,
                "HAVEN_SMTP_PORT": str(settings.EMAIL_PORT),
            }
            | (env or {})
        )
        workers = [
            subprocess.Popen(
                [sys.executable, "manage.py", "notices_send", *args],
                cwd=ROOT,
                env=full_env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for args in arg_lists
        ]
        done = []
        for worker in workers:
            out, err = worker.communicate(timeout=120)
            done.append(subprocess.CompletedProcess(worker.args, worker.returncode, out, err))
        if self.vendor == "sqlite":
            connection.ensure_connection()
            source = sqlite3.connect(self.file)
            source.backup(connection.connection)
            source.close()
        return done


@pytest.mark.real_clock
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_batch_never_sends_a_message_twice(
    cast, with_email, queue, smtp_inbox, huey_held, tmp_path
):
    made = [queue(key=f"batch:{n}", facts={"body": f"Message number {n}."})[0] for n in range(5)]
    shared = SharedDatabase(tmp_path)

    first = shared.run("--batch", "10", env={CRASH_ENV: "2"})
    assert first.returncode == 1, first.stderr
    assert len(smtp_inbox.messages) == 2
    statuses = dict(Message.objects.values_list("pk", "status"))
    assert sorted(statuses.values()) == ["queued", "queued", "queued", "sending", "sent"]
    in_flight = next(pk for pk, status in statuses.items() if status == "sending")

    second = shared.run("--batch", "10", "--lease", "0")
    assert second.returncode == 0, second.stderr
    assert "Sent 3 message(s)." in second.stdout

    ids = [mail["Message-ID"] for _, mail in smtp_inbox.messages]
    expected = {m.email_message_id for m in Message.objects.all()}
    assert len(ids) == 5
    assert set(ids) == expected  # every message arrived, none twice
    statuses = dict(Message.objects.values_list("pk", "status"))
    assert statuses.pop(in_flight) == MessageStatus.UNCERTAIN
    assert set(statuses.values()) == {MessageStatus.SENT}
    uncertain = Message.objects.get(pk=in_flight)
    assert ids.count(uncertain.email_message_id) == 1
    assert Task.objects.filter(pk=uncertain.task_id, title__startswith="Check with").exists()
    assert len(made) == 5

    third = shared.run("--batch", "10", "--lease", "0")
    assert third.returncode == 0, third.stderr
    assert len(smtp_inbox.messages) == 5
    # The message recorded as sent just before the crash got its audit event from the recovery:
    # each sent message has exactly one, the uncertain one none, and the chain holds.
    sent_events = AuditEvent.objects.filter(action=AuditAction.NOTICE_SENT)
    assert sorted(int(e.object_id) for e in sent_events) == sorted(statuses)
    assert verify_chain(str(cast.agency_a.pk))[1] is None


@pytest.mark.real_clock
@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_send_each_message_exactly_once(
    cast, with_email, queue, smtp_inbox, huey_held, tmp_path
):
    for n in range(12):
        queue(key=f"pair:{n}", facts={"body": f"Message number {n}."})
    shared = SharedDatabase(tmp_path)
    first, second = shared.run_together([["--batch", "50"], ["--batch", "50"]])
    assert first.returncode == 0, first.stderr
    assert second.returncode == 0, second.stderr
    ids = [mail["Message-ID"] for _, mail in smtp_inbox.messages]
    assert sorted(ids) == sorted(m.email_message_id for m in Message.objects.all())
    assert set(Message.objects.values_list("status", flat=True)) == {MessageStatus.SENT}
    assert set(Message.objects.values_list("attempts", flat=True)) == {1}
