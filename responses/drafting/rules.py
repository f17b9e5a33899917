"""`Refused`, and the states and small rules every step shares."""

from django.utils import timezone
from django.utils.formats import date_format

from proposals.models import Assignment

from ..models import Response


class Refused(Exception):
    """A step the rules do not allow now. `message` says why, in Chinese; `field` names the form
    field the message belongs to, when there is one."""

    def __init__(self, message, field=None):
        super().__init__(message)
        self.message = message
        self.field = field


def is_standing(assignment):
    """Whether the department must still act on the assignment: not returned, or returned and the
    office kept the assignment (维持交办)."""
    return not assignment.returned_on or assignment.objection_decision == Assignment.ObjectionDecision.KEPT


def _today(today):
    return today or timezone.localdate()


def format_day(value):
    return date_format(value, "Y年n月j日")


REPLIED_STATES = (Response.Status.ISSUED, Response.Status.PUBLISHED)
OPEN_STATES = (Response.Status.DRAFT, Response.Status.SUBMITTED)
ANSWERING_ROLES = (Assignment.Role.LEAD, Assignment.Role.SEPARATE)
