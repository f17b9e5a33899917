"""Publishing a proposal and its replies, and marking key proposals (the office's step 6)."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from proposals.models import Event
from proposals.notifications import notify
from proposals.workflow import StepRefused, locked, proposers_of

from .models import Response


@transaction.atomic
def update_publication(
    proposal, *, is_published, is_key, supervising_leader="", replies_to_publish=(), actor
):
    """Decide whether the proposal is public, publish issued replies disclosed as 主动公开, and mark
    key proposals. Replies disclosed otherwise are refused (StepRefused), nothing is saved."""
    proposal = locked(proposal)
    today = timezone.localdate()
    replies = list(
        Response.objects.select_for_update()
        .filter(pk__in=[r.pk for r in replies_to_publish], proposal=proposal)
        .select_related("department")
    )
    if replies and not is_published:
        raise StepRefused(_("公开答复须同时公开提案。"))
    for reply in replies:
        if reply.status != Response.Status.ISSUED:
            raise StepRefused(_("只能公开已签发的答复。"))
        if reply.disclosure != Response.Disclosure.PUBLIC:
            raise StepRefused(
                _("%(department)s的答复公开属性为“%(disclosure)s”，不主动公开。")
                % {"department": reply.department.name, "disclosure": reply.get_disclosure_display()}
            )
    events = []
    if is_published != proposal.is_published:
        message = _("提案公开") if is_published else _("取消公开")
        events.append(
            proposal.record(Event.Kind.PUBLISHED, actor=actor, message=message, public=is_published)
        )
    leader = supervising_leader if is_key else ""
    if is_key != proposal.is_key or leader != proposal.supervising_leader:
        message = _("列为重点提案，由%(leader)s督办") % {"leader": leader} if is_key else _("取消重点提案")
        events.append(proposal.record(Event.Kind.KEY_PROPOSAL, actor=actor, message=message, public=is_key))
    proposal.is_published = is_published
    proposal.is_key = is_key
    proposal.supervising_leader = leader
    proposal.save()
    proposers = proposers_of(proposal) if replies else []
    for reply in replies:
        reply.published_on = today
        reply.move_to(Response.Status.PUBLISHED, fields=["published_on"])
        message = _("%(department)s的答复已公开") % {"department": reply.department.name}
        event = proposal.record(
            Event.Kind.REPLY_PUBLISHED, actor=actor, department=reply.department, message=message, public=True
        )
        events.append(event)
        notify(
            event,
            proposers=proposers,
            body=_("%(department)s对您的提案《%(title)s》的答复已公开。")
            % {"department": reply.department.name, "title": proposal.title},
            link=reply.get_absolute_url(),
        )
    return events
