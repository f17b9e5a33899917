"""The office workspace (政协办公厅): queues, logging and importing proposals, review, assignment,
objections, deadlines, chasing, publication. Access comes from proposals/access.py only; the steps
themselves live in proposals/workflow.py."""

from .assignments import assign, chase, extend, objection
from .intake import import_template, proposal_import, proposal_new, review
from .proposal_page import attachment, proposal_detail
from .publishing import publication
from .queues import dashboard, overdue, proposal_list

__all__ = [
    "assign",
    "attachment",
    "chase",
    "dashboard",
    "extend",
    "import_template",
    "objection",
    "overdue",
    "proposal_detail",
    "proposal_import",
    "proposal_list",
    "proposal_new",
    "publication",
    "review",
]
