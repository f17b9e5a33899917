"""Following a public proposal by email (关注): anyone may leave an address, confirmed by a link in
an email; followers are told when a reply to the proposal is published or a commitment changes, and
every such email carries a link to stop. Imported by proposals/models.py (the model is this app's).

What to tell comes from the proposal's public timeline: a receiver on Event (connected in
ProposalsConfig.ready) collects the public events of the kinds below and, once the transaction
commits, sends each follower one email per proposal — however many commitments a bulk report moved.
"""

import datetime
import secrets

from django.conf import settings
from django.db import connection, models, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import Event, Proposal
from .notifications import send_after_commit, send_quietly

# What a follower is told about: the reply made public, and any change to its commitments.
FOLLOWED_KINDS = {Event.Kind.REPLY_PUBLISHED, Event.Kind.COMMITMENT_PROGRESS, Event.Kind.FOLLOWUP}
# A second confirmation email to the same address for the same proposal waits this long.
RESEND_AFTER = datetime.timedelta(minutes=10)


def _token():
    return secrets.token_urlsafe(32)


class SubscriptionQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(confirmed_at__isnull=False)


class Subscription(models.Model):
    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="subscriptions", verbose_name=gettext_lazy("提案")
    )
    email = models.EmailField(gettext_lazy("电子邮箱"))
    token = models.CharField(gettext_lazy("令牌"), max_length=64, unique=True, default=_token, editable=False)
    confirmed_at = models.DateTimeField(gettext_lazy("确认时间"), null=True, blank=True)
    created_at = models.DateTimeField(gettext_lazy("登记时间"), default=timezone.now)
    confirmation_sent_at = models.DateTimeField(gettext_lazy("确认邮件发送时间"), null=True, blank=True)

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        verbose_name = gettext_lazy("关注")
        verbose_name_plural = gettext_lazy("关注")
        ordering = ["proposal", "email"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "email"], name="proposals_subscription_once"),
        ]
        # The followers of a proposal, confirmed: served by the unique constraint's index.

    def __str__(self):
        return f"{self.email} → {self.proposal}"

    @property
    def is_confirmed(self):
        return self.confirmed_at is not None

    def unsubscribe_url(self):
        return f"{settings.SITE_URL}{reverse('proposals:unfollow', args=[self.token])}"


def follow(proposal, email, *, now=None):
    """Register `email` for `proposal` and send the confirmation link (again, at most every ten
    minutes). Returns the subscription; an address already confirmed gets no email."""
    now = now or timezone.now()
    email = email.strip().lower()
    with transaction.atomic():
        subscription, _created = Subscription.objects.select_for_update().get_or_create(
            proposal=proposal, email=email
        )
        if subscription.is_confirmed:
            return subscription
        if subscription.confirmation_sent_at and now - subscription.confirmation_sent_at < RESEND_AFTER:
            return subscription
        subscription.confirmation_sent_at = now
        subscription.save(update_fields=["confirmation_sent_at"])
        context = {
            "proposal": proposal,
            "confirm": f"{settings.SITE_URL}{reverse('proposals:confirm_follow', args=[subscription.token])}",
            "unsubscribe": subscription.unsubscribe_url(),
        }
        send_after_commit(
            [email],
            _("[提案办理追踪] 请确认关注：%(title)s") % {"title": proposal.title[:40]},
            render_to_string("emails/follow_confirm.txt", context),
        )
    return subscription


def confirm(subscription, *, now=None):
    if not subscription.is_confirmed:
        subscription.confirmed_at = now or timezone.now()
        subscription.save(update_fields=["confirmed_at"])
    return subscription


class _Pending:
    """The followed events of one transaction, sent as one email per follower and proposal on commit."""

    def __init__(self):
        self.events = {}  # proposal id → [event]

    def __call__(self):
        subscriptions = (
            Subscription.objects.confirmed().filter(proposal_id__in=self.events).select_related("proposal")
        )
        for subscription in subscriptions:
            events = self.events[subscription.proposal_id]
            context = {
                "proposal": subscription.proposal,
                "events": events,
                "link": f"{settings.SITE_URL}{subscription.proposal.get_absolute_url()}",
                "unsubscribe": subscription.unsubscribe_url(),
            }
            subject = _("[提案办理追踪] 您关注的提案有新进展：%(title)s") % {
                "title": subscription.proposal.title[:40]
            }
            message = render_to_string("emails/follow_update.txt", context)
            send_quietly([(subject, message, settings.DEFAULT_FROM_EMAIL, [subscription.email])])


def event_recorded(sender, instance, created, **kwargs):
    if not created or not instance.is_public or instance.kind not in FOLLOWED_KINDS:
        return
    pending = None
    if connection.in_atomic_block:
        pending = next(
            (func for _s, func, _r in connection.run_on_commit if isinstance(func, _Pending)), None
        )
    if pending is None:
        pending = _Pending()
        transaction.on_commit(pending)
    pending.events.setdefault(instance.proposal_id, []).append(instance)
