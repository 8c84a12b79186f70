"""Read bounced emails from the bounce mailbox and fail the messages they are about.

manage.py notices_bounces --maildir /var/mail/haven-bounces [--delete]
manage.py notices_bounces --mbox /var/mail/haven-bounces.mbox

Point HAVEN_BOUNCE_ADDRESS's mailbox at a Maildir or mbox the worker can read. Each message
found there is matched by the VERP token in the address it was sent to (`bounces+<token>@`,
in To, Delivered-To, X-Original-To or anywhere in its headers); a message without a valid token
changes nothing (anyone can write to a bounce address). A delivery report that says "delayed"
(the mail server is still trying) is skipped. Safe to run again over the same mailbox: a bounce
already applied does nothing twice. With --delete, messages matched are removed.
"""

import mailbox
from email.message import Message as EmailMessage

from django.core.management.base import BaseCommand, CommandError

from haven.notices.bounces import message_id_from_token
from haven.notices.delivery import bounce_receive


def _headers(mail: EmailMessage) -> str:
    return "\n".join(f"{name}: {value}" for name, value in mail.items())


def _reason(mail: EmailMessage) -> tuple[str, bool]:
    """The DSN's status and diagnostic ("5.1.1 550 No such user"), and whether it is only a
    delay notice."""
    status, diagnostic, delayed = "", "", False
    for part in mail.walk():
        if part.get_content_type() != "message/delivery-status":
            continue
        for block in part.get_payload() or []:
            if not hasattr(block, "get"):
                continue
            delayed = delayed or str(block.get("Action", "")).lower() == "delayed"
            status = status or str(block.get("Status", ""))
            diagnostic = diagnostic or str(block.get("Diagnostic-Code", ""))
    reason = " ".join(p for p in (status, diagnostic) if p) or str(mail.get("Subject", ""))
    return reason[:300] or "bounced", delayed


class Command(BaseCommand):
    help = "Read a bounce mailbox (Maildir or mbox) and fail the emails that bounced."

    def add_arguments(self, parser):
        where = parser.add_mutually_exclusive_group(required=True)
        where.add_argument("--maildir")
        where.add_argument("--mbox")
        parser.add_argument("--delete", action="store_true", help="Remove messages matched.")

    def handle(self, *args, maildir=None, mbox=None, delete=False, **options):
        try:
            box = mailbox.Maildir(maildir, create=False) if maildir else mailbox.mbox(mbox)
        except (OSError, mailbox.Error) as exc:
            raise CommandError(f"Cannot open the mailbox: {exc}") from None
        applied = skipped = 0
        box.lock()
        try:
            for key, mail in list(box.items()):
                message_id = message_id_from_token(_headers(mail))
                reason, delayed = _reason(mail)
                if not message_id or delayed:
                    skipped += 1
                    continue
                bounce_receive(message_id=message_id, reason=reason)
                applied += 1
                if delete:
                    box.remove(key)
            box.flush()
        finally:
            box.unlock()
            box.close()
        self.stdout.write(f"Bounces matched: {applied}; skipped: {skipped}.")
