"""`Refused`, and the states and small rules every step shares."""

from django.utils import timezone

from ..models import Response


class Refused(Exception):
    """A step the rules do not allow now. `message` says why, in Chinese; `field` names the form
    field the message belongs to, when there is one."""

    def __init__(self, message, field=None):
        super().__init__(message)
        self.message = message
        self.field = field


def day_or_today(today):
    """`today` when a caller (a test) gave one, else the date in Asia/Shanghai."""
    return today or timezone.localdate()


REPLIED_STATES = Response.Status.issued()
OPEN_STATES = (Response.Status.DRAFT, Response.Status.SUBMITTED)
