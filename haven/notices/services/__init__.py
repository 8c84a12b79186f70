"""Every change to a message to a victim: queueing (contract 2, `message_queue`), the worker's
claim-send-mark cycle, staff actions (cancel, retry, mark mailed or called, send a message),
opt-outs and the agency's notice settings. Callers import them from here; each lives in the
module named for it:

- `agency_settings`: the agency's notice settings;
- `opt_outs`: a person stops a channel, or wants it again;
- `channels`: which channels one message goes over;
- `queueing`: `message_queue`, `messages_withdraw`, the automatic update on assignment;
- `specialist_tasks`: a letter to print, a call to make, a held message to review;
- `worker`: the claim and the batch (`send_due`); `handover`: the hand-over and the log of
  what was sent; `outbox`: the mail server and SMS provider; `outcomes`: not sent, sent,
  failed, delivered;
- `staff_actions`: cancel, retry, mark done, write a message, print a letter.

Never send twice: a message goes out only from the worker that claimed it (its claim token)
and handed it over with a conditional UPDATE (queued/deferred -> sending) committed first. A
message still "sending" after the lease means the worker died mid-send: it becomes "uncertain"
and a specialist checks. It is not resent by itself, because SMTP and most SMS APIs have no
idempotency key: the mail may well have left before the worker died. (The batch protocol:
worker.py.)
"""

from haven.notices.services.agency_settings import notice_settings, notice_settings_update
from haven.notices.services.opt_outs import opt_in_record, opt_out_record, opted_out_channels
from haven.notices.services.outbox import CRASH_ENV, PermanentError, TransientError
from haven.notices.services.outcomes import (
    BACKOFF,
    MAX_ATTEMPTS,
    message_mark_delivered,
    message_mark_undelivered,
)
from haven.notices.services.queueing import message_queue, messages_withdraw, on_case_assigned
from haven.notices.services.specialist_tasks import OBLIGATION_PREFIX
from haven.notices.services.staff_actions import (
    letter_pdf,
    message_cancel,
    message_mark_done,
    message_retry,
    message_send_staff,
)
from haven.notices.services.worker import (
    LEASE,
    due_message_ids,
    recover_stale_claims,
    send_due,
    send_one,
)

__all__ = [
    "BACKOFF",
    "CRASH_ENV",
    "LEASE",
    "MAX_ATTEMPTS",
    "OBLIGATION_PREFIX",
    "PermanentError",
    "TransientError",
    "due_message_ids",
    "letter_pdf",
    "message_cancel",
    "message_mark_delivered",
    "message_mark_done",
    "message_mark_undelivered",
    "message_queue",
    "message_retry",
    "message_send_staff",
    "messages_withdraw",
    "notice_settings",
    "notice_settings_update",
    "on_case_assigned",
    "opt_in_record",
    "opt_out_record",
    "opted_out_channels",
    "recover_stale_claims",
    "send_due",
    "send_one",
]
