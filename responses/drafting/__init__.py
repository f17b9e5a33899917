"""What a handling department does with an assignment, as plain functions.

Receive (签收) or return (退回) it, write and send a co-handling opinion (会办意见), draft, submit,
issue (签发) and correct the reply, and report progress on commitments. Each step runs in one
transaction, appends an Event to the proposal's timeline and emails whoever it concerns once the
transaction commits (proposals.notifications.notify). Steps the rules do not allow raise `Refused`
with a Chinese message for the user; nothing is saved then.

Functions take `today=` so tests can pass dates; views leave it out and get timezone.localdate().
Access (which department may call what) is decided by the views through responses/access.py; these
functions check the state rules.
"""

from .commitments import department_commitments, open_commitments, report_progress
from .department_inbox import InboxState, inbox
from .locking import (
    EDITED_FIELDS,
    StaleEdit,
    changed_fields,
    claim_edit,
    items_outline,
    snapshot,
)
from .opinions import current_opinion, save_opinion, submitted_opinions
from .receipt import objection_deadline, receive, return_assignment, return_refusal
from .replies import (
    can_sign_off,
    issue_reply,
    open_reply,
    start_correction,
    start_reply,
    submission_problems,
    submit_reply,
)
from .rules import (
    OPEN_STATES,
    REPLIED_STATES,
    Refused,
)

__all__ = [
    "EDITED_FIELDS",
    "InboxState",
    "OPEN_STATES",
    "REPLIED_STATES",
    "Refused",
    "StaleEdit",
    "can_sign_off",
    "changed_fields",
    "claim_edit",
    "current_opinion",
    "department_commitments",
    "inbox",
    "issue_reply",
    "items_outline",
    "objection_deadline",
    "open_commitments",
    "open_reply",
    "receive",
    "report_progress",
    "return_assignment",
    "return_refusal",
    "save_opinion",
    "snapshot",
    "start_correction",
    "start_reply",
    "submission_problems",
    "submit_reply",
    "submitted_opinions",
]
