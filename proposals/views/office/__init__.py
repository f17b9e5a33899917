"""The office workspace (政协办公厅): queues, logging and importing proposals, review, assignment,
objections, deadlines, chasing. Access comes from proposals/access.py only; the steps themselves live
in proposals/workflow.py. The pages that show replies (dashboard, proposal page, overdue board,
publication) are responses/views/office.py."""

from .assignments import assign, chase, extend, objection
from .batch import batch_assign, batch_register
from .intake import (
    import_template,
    intake_cancel,
    intake_confirm,
    intake_preview,
    proposal_edit,
    proposal_import,
    proposal_new,
    review,
)
from .proposal_page import attachment
from .queues import proposal_list
from .sessions import session_list

__all__ = [
    "assign",
    "attachment",
    "batch_assign",
    "batch_register",
    "chase",
    "extend",
    "import_template",
    "intake_cancel",
    "intake_confirm",
    "intake_preview",
    "objection",
    "proposal_edit",
    "proposal_import",
    "proposal_list",
    "proposal_new",
    "review",
    "session_list",
]
