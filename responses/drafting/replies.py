"""Drafting the reply: start, submit (送审), issue (签发) and correct (更正) it."""

from django.db import IntegrityError, transaction
from django.db.models import Exists, F, Max, OuterRef
from django.utils.translation import gettext as _

from proposals.models import Assignment, Event, Profile, Proposal, ProposalProposer, salutation
from proposals.notifications import notify

from ..letter import title_lines
from ..models import Commitment, Response, ResponseItem
from .receipt import locked_assignment, require_handling
from .rules import OPEN_STATES, REPLIED_STATES, Refused, day_or_today

# --- Drafting the reply ------------------------------------------------------------------------


def _proposers(proposal):
    return [
        link.proposer
        for link in ProposalProposer.objects.filter(proposal=proposal)
        .select_related("proposer")
        .order_by("position")
    ]


def draft_defaults(proposal, department):
    """A starting text for a new reply, in the usual wording of the letters (DOMAIN.md): the drafter
    edits it. Runs a few queries for the proposers and the other departments."""
    session = proposal.session
    kind = proposal.get_kind_display()
    number = f"第{proposal.number}号" if proposal.number else ""
    assignments = list(proposal.assignments.active().select_related("department", "assigned_by"))
    co = [a.department.name for a in assignments if a.role == Assignment.Role.CO_HANDLING]
    office = next((a.assigned_by.name for a in assignments if a.assigned_by_id), "")
    opening = f"您在{session}上提出的《{proposal.title}》（{number}{kind}）收悉。"
    if co:
        opening += f"该{kind}由{office or '政协办公厅'}交由我单位主办，{'、'.join(co)}会办。"
    opening += "经认真研究，现答复如下："
    return {
        "title": "\n".join(title_lines(session, proposal.number, kind)),
        "salutation": salutation(_proposers(proposal)),
        "opening": opening,
        "closing": "感谢您对我们工作的关心和支持，欢迎继续提出宝贵意见和建议。",
        "signoff_unit": department.name,
        "contact_unit": department.name,
        "copied_to": "\n".join([*co, *([office] if office else [])]),
    }


def open_reply(proposal, department):
    """The department's reply still being drafted or awaiting sign-off, or None (one query)."""
    return (
        Response.objects.filter(proposal=proposal, department=department, status__in=OPEN_STATES)
        .order_by("-version")
        .first()
    )


def _next_version(proposal_id, department_id):
    latest = Response.objects.filter(proposal_id=proposal_id, department_id=department_id).aggregate(
        latest=Max("version")
    )["latest"]
    return (latest or 0) + 1


def start_reply(assignment, *, user):
    """Open the department's reply draft, creating it (version = next) when there is none.

    Returns (reply, created). A department that has issued its reply starts a new one only when
    the proposal is sent back for re-handling; corrections go through start_correction.
    """
    with transaction.atomic():
        assignment = locked_assignment(assignment)
        if assignment.role not in Assignment.Role.answering():
            raise Refused(_("会办单位不直接答复提案者，请向主办单位提交会办意见。"))
        require_handling(assignment)
        proposal, department = assignment.proposal, assignment.department
        existing = open_reply(proposal, department)
        if existing:
            return existing, False
        issued = Response.objects.filter(proposal=proposal, department=department, status__in=REPLIED_STATES)
        last_issued = issued.order_by("-version").first()
        if last_issued and proposal.status != Proposal.Status.REHANDLING:
            raise Refused(_("本单位已签发答复。如需修改，请在答复页面发起更正。"))
        try:
            with transaction.atomic():
                if last_issued:  # re-handling: the work of the last issued version carries over
                    reply = _copy_reply(last_issued)
                else:
                    reply = Response.objects.create(
                        proposal=proposal,
                        department=department,
                        version=_next_version(proposal.pk, department.pk),
                        **draft_defaults(proposal, department),
                    )
        except IntegrityError:  # someone else started it a moment ago
            return open_reply(proposal, department), False
    return reply, True


def submission_problems(reply):
    """What keeps a reply from going to sign-off, as Chinese sentences (one query for the items)."""
    problems = []
    if not reply.title.strip():
        problems.append(_("请填写标题。"))
    if not reply.salutation.strip():
        problems.append(_("请填写称呼。"))
    if not reply.items.filter(parent__isnull=True).exists():
        problems.append(_("答复至少要有一个条目。"))
    if not reply.result_class:
        problems.append(_("请选择办复类别。"))
    if not reply.disclosure:
        problems.append(_("请选择公开属性。"))
    return problems


def _locked_reply(reply):
    return (
        Response.objects.select_for_update(of=("self",))
        .select_related("proposal__session__committee", "department")
        .get(pk=reply.pk)
    )


def submit_reply(reply, *, user):
    """送审: a complete draft goes to sign-off (draft → submitted)."""
    with transaction.atomic():
        reply = _locked_reply(reply)
        if reply.status != Response.Status.DRAFT:
            raise Refused(
                _("只有草稿可以送审，此答复当前为“%(status)s”。") % {"status": reply.get_status_display()}
            )
        problems = submission_problems(reply)
        if problems:
            raise Refused(" ".join(problems))
        reply.lock_version = F("lock_version") + 1  # editors who loaded the draft must reload
        reply.move_to(Response.Status.SUBMITTED, fields=["lock_version"])
        reply.refresh_from_db(fields=["lock_version"])
        reply.proposal.record(
            Event.Kind.REPLY_SUBMITTED,
            actor=user,
            department=reply.department,
            message=_("%(department)s答复稿送审（第%(version)s版）。")
            % {"department": reply.department, "version": reply.version},
        )
    return reply


def can_sign_off(user, reply):
    profile = Profile.of(user)
    return bool(
        profile
        and profile.role == Profile.Role.DEPARTMENT
        and profile.can_sign_off
        and profile.department_id == reply.department_id
    )


def issue_reply(reply, *, user, today=None):
    """签发: a signer of the answering department issues a submitted reply. The reply is frozen from
    then on; the proposal moves to replied once every answering department has replied (a
    correction leaves the proposal's state alone); the proposers and the co-handling departments
    are told."""
    today = day_or_today(today)
    with transaction.atomic():
        reply = _locked_reply(reply)
        if not can_sign_off(user, reply):
            raise Refused(_("只有本单位有签发权限的人员可以签发答复。"))
        if reply.status != Response.Status.SUBMITTED:
            raise Refused(
                _("只有送审的答复可以签发，此答复当前为“%(status)s”。")
                % {"status": reply.get_status_display()}
            )
        problems = submission_problems(reply)
        if problems:
            raise Refused(" ".join(problems))
        reply.issued_on = today
        reply.issued_by = user
        reply.lock_version = F("lock_version") + 1
        reply.move_to(Response.Status.ISSUED, fields=["issued_on", "issued_by", "lock_version"])
        reply.refresh_from_db(fields=["lock_version"])
        proposal = Proposal.objects.select_for_update(of=("self",)).get(pk=reply.proposal_id)
        if not reply.supersedes_id and _all_answered(proposal):
            proposal.move_to(Proposal.Status.REPLIED, actor=user)
        if reply.supersedes_id:
            message = _("%(department)s签发更正答复（第%(version)s版）。")
        else:
            message = _("%(department)s签发答复（第%(version)s版）。")
        event = proposal.record(
            Event.Kind.REPLY_ISSUED,
            actor=user,
            department=reply.department,
            message=message % {"department": reply.department, "version": reply.version},
            public=True,
        )
        co = [
            a.department
            for a in proposal.assignments.active()
            .filter(role=Assignment.Role.CO_HANDLING)
            .select_related("department")
        ]
        notify(event, proposers=_proposers(proposal), departments=co)
    return reply


def _all_answered(proposal):
    """True when every standing lead or separate-handling department has issued a reply."""
    answering = proposal.assignments.active().answering()
    replied = Response.objects.filter(
        proposal=proposal, department_id=OuterRef("department_id"), status__in=REPLIED_STATES
    )
    return not answering.exclude(Exists(replied)).exists()


def start_correction(reply, *, reason, user):
    """更正: copy an issued reply, items, sub-items and commitments, into a new draft version that
    supersedes it. The original stays as issued."""
    reason = (reason or "").strip()
    if not reason:
        raise Refused(_("请说明更正理由。"), field="reason")
    with transaction.atomic():
        original = _locked_reply(reply)
        if original.status not in REPLIED_STATES:
            raise Refused(_("只有已签发的答复可以更正；草稿请直接修改。"))
        if Response.objects.filter(supersedes=original).exists():
            raise Refused(_("此答复已有更正版本。"))
        correction = _copy_reply(original, supersedes=original, correction_reason=reason)
        event = original.proposal.record(
            Event.Kind.REPLY_CORRECTED,
            actor=user,
            department=original.department,
            message=_("%(department)s更正第%(old)s版答复（新第%(new)s版），理由：%(reason)s")
            % {
                "department": original.department,
                "old": original.version,
                "new": correction.version,
                "reason": reason,
            },
        )
        notify(event, office=True)
    return correction


def _copy_reply(original, **changes):
    """A new draft version of an issued reply: its letter fields (numbering, salutation, contact…),
    items, sub-items and commitments, each commitment linked to the one it carries over. The original
    stays as it was."""
    copy = Response.objects.get(pk=original.pk)
    copy.pk = None
    copy._state.adding = True
    copy.version = _next_version(original.proposal_id, original.department_id)
    copy.status = Response.Status.DRAFT
    copy.supersedes = None
    copy.correction_reason = ""
    copy.issued_on = None
    copy.issued_by = None
    copy.published_on = None
    copy.lock_version = 0
    for name, value in changes.items():
        setattr(copy, name, value)
    copy.save()
    _copy_items(original, copy)
    return copy


def _copy_items(original, copy):
    items = list(original.items.order_by(F("parent_id").asc(nulls_first=True), "position"))
    new_pk = {}
    for item in items:  # parents come first, so each child finds its parent's copy
        old_pk = item.pk
        item.pk = None
        item._state.adding = True
        item.response = copy
        item.parent_id = new_pk.get(item.parent_id)
        item.save()
        new_pk[old_pk] = item.pk
    # Which suggestions each item answers carries over with the item.
    Link = ResponseItem.answers.through
    Link.objects.bulk_create(
        Link(responseitem_id=new_pk[item_pk], suggestion_id=suggestion_pk)
        for item_pk, suggestion_pk in Link.objects.filter(responseitem__response=original).values_list(
            "responseitem_id", "suggestion_id"
        )
    )
    for commitment in Commitment.objects.filter(item__response=original).order_by("item_id", "position"):
        commitment.carried_from_id = commitment.pk
        commitment.pk = None
        commitment._state.adding = True
        commitment.item_id = new_pk[commitment.item_id]
        commitment.save()
