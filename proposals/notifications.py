"""Tell the people a step concerns: an in-app notice (the bell) in the step's transaction, and an
email once the transaction commits. A failed send is logged and never fails the request.

Recipients are found through their profiles: a department's staff, a proposer's delegate account,
or the office. Mail goes through Django's email framework (console backend unless EMAIL_HOST is set).
"""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mass_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from notices.models import leave

from .models import Profile

logger = logging.getLogger(__name__)


def recipient_users(*, departments=(), proposers=(), office=False):
    """The active users who stand for these departments, proposers or the office (a queryset)."""
    department_ids = [d.pk for d in departments if d is not None]
    proposer_ids = [p.pk for p in proposers if p is not None]
    who = Q(pk__in=[])
    if department_ids:
        who |= Q(profile__role=Profile.Role.DEPARTMENT, profile__department_id__in=department_ids)
    if proposer_ids:
        who |= Q(profile__role=Profile.Role.DELEGATE, profile__proposer_id__in=proposer_ids)
    if office:
        who |= Q(profile__role=Profile.Role.OFFICE)
    return get_user_model().objects.filter(who, is_active=True).order_by("pk")


def recipients(*, departments=(), proposers=(), office=False):
    """Email addresses of the active users who stand for these departments, proposers or the office."""
    users = recipient_users(departments=departments, proposers=proposers, office=office).exclude(email="")
    return sorted(set(users.values_list("email", flat=True)))


def _addresses(users):
    return sorted({user.email for user in users if user.email})


def notify(event, *, departments=(), proposers=(), office=False, subject=None, body=None, link=None):
    """Tell the recipients about `event` (a proposals.Event): a notice now, an email on commit.

    Returns the addresses it will write to.
    """
    users = list(recipient_users(departments=departments, proposers=proposers, office=office))
    if not users:
        return []
    proposal = event.proposal
    path = link or proposal.get_absolute_url()
    context = {
        "event": event,
        "proposal": proposal,
        "body": body or event.message,
        "link": f"{settings.SITE_URL}{path}",
    }
    number = _("第%(number)s号 ") % {"number": proposal.number} if proposal.number else ""
    leave(
        users, title=f"{event.get_kind_display()}：{number}{proposal.title}", body=context["body"], link=path
    )
    addresses = _addresses(users)
    subject = subject or render_to_string("emails/event_subject.txt", context).strip()
    send_after_commit(addresses, subject, render_to_string("emails/event.txt", context))
    return addresses


def tell(*, departments=(), proposers=(), office=False, title, body, link):
    """Tell the recipients about something that is not one proposal's step (a 回头看 round, say):
    a notice now, an email on commit. Returns the addresses it will write to."""
    users = list(recipient_users(departments=departments, proposers=proposers, office=office))
    leave(users, title=title, body=body, link=link)
    addresses = _addresses(users)
    send_after_commit(
        addresses, _("[提案办理追踪] %(title)s") % {"title": title}, f"{body}\n\n{settings.SITE_URL}{link}"
    )
    return addresses


def send_after_commit(addresses, subject, message):
    """One email per address, sent once the current transaction commits."""
    messages = [(subject, message, settings.DEFAULT_FROM_EMAIL, [address]) for address in addresses]
    if messages:
        transaction.on_commit(lambda: send_quietly(messages))


def send_quietly(messages):
    """Send; a mail server that is down is logged, never shown to the user whose step succeeded."""
    try:
        send_mass_mail(messages, fail_silently=False)
    except Exception:
        logger.exception("Could not send %s email(s): %s", len(messages), messages[0][0] if messages else "")
