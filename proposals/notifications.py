"""Email the people a step concerns, after the step's transaction commits.

Recipients are found through their profiles: a department's staff, a proposer's delegate account,
or the office. Mail goes through Django's email framework (console backend unless EMAIL_HOST is set).
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mass_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string

from .models import Profile


def recipients(*, departments=(), proposers=(), office=False):
    """Email addresses of the active users who stand for these departments, proposers or the office."""
    department_ids = [d.pk for d in departments if d is not None]
    proposer_ids = [p.pk for p in proposers if p is not None]
    who = Q(pk__in=[])
    if department_ids:
        who |= Q(profile__role=Profile.Role.DEPARTMENT, profile__department_id__in=department_ids)
    if proposer_ids:
        who |= Q(profile__role=Profile.Role.DELEGATE, profile__proposer_id__in=proposer_ids)
    if office:
        who |= Q(profile__role=Profile.Role.OFFICE)
    users = get_user_model().objects.filter(who, is_active=True).exclude(email="")
    return sorted(set(users.values_list("email", flat=True)))


def notify(event, *, departments=(), proposers=(), office=False, subject=None, body=None, link=None):
    """Send one email per recipient about `event` (a proposals.Event) once the transaction commits.

    Returns the addresses it will write to.
    """
    addresses = recipients(departments=departments, proposers=proposers, office=office)
    if not addresses:
        return []
    proposal = event.proposal
    context = {
        "event": event,
        "proposal": proposal,
        "body": body or event.message,
        "link": f"{settings.SITE_URL}{link or proposal.get_absolute_url()}",
    }
    subject = subject or render_to_string("emails/event_subject.txt", context).strip()
    send_after_commit(addresses, subject, render_to_string("emails/event.txt", context))
    return addresses


def send_after_commit(addresses, subject, message):
    """One email per address, sent once the current transaction commits."""
    messages = [(subject, message, settings.DEFAULT_FROM_EMAIL, [address]) for address in addresses]
    if messages:
        transaction.on_commit(lambda: send_mass_mail(messages, fail_silently=False))
