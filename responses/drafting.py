"""What a handling department does with an assignment, as plain functions.

Receive (签收) or return (退回) it, write and send a co-handling opinion (会办意见), draft, submit,
issue (签发) and correct the reply, and report progress on commitments. Each step runs in one
transaction, appends an Event to the proposal's timeline and emails whoever it concerns once the
transaction commits (proposals.notifications.notify). Steps the rules do not allow raise `Refused`
with a Chinese message for the user; nothing is saved then.

Functions take `today=` so tests can pass dates; views leave it out and get timezone.localdate().
Access (which department may call what) is decided by the views through proposals/access.py;
these functions check the state rules.
"""

import hashlib
import json
from dataclasses import dataclass

from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import Case, Count, Exists, F, Max, OuterRef, Q, Subquery, When
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from proposals.deadlines import CalendarNotCovered, DeadlineRules
from proposals.models import Assignment, Event, Profile, Proposal, ProposalProposer, Proposer
from proposals.notifications import notify
from tracker.chinese import section_label, subsection_label

from .models import CoHandlingOpinion, Commitment, CommitmentProgress, Response, ResponseItem


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


# --- The inbox ---------------------------------------------------------------------------------


class InboxState:
    """Where an assignment stands from the department's point of view (one word in the inbox)."""

    AWAITING_RECEIPT = "awaiting_receipt"
    RECEIVED = "received"
    RETURNED = "returned"
    OPINION_SUBMITTED = "opinion_submitted"
    REPLY_DRAFT = "reply_draft"
    REPLY_SUBMITTED = "reply_submitted"
    REPLY_ISSUED = "reply_issued"
    REHANDLING = "rehandling"

    LABELS = {
        AWAITING_RECEIPT: gettext_lazy("待签收"),
        RECEIVED: gettext_lazy("已签收"),
        RETURNED: gettext_lazy("已退回"),
        OPINION_SUBMITTED: gettext_lazy("已送会办意见"),
        REPLY_DRAFT: gettext_lazy("答复起草中"),
        REPLY_SUBMITTED: gettext_lazy("答复待签发"),
        REPLY_ISSUED: gettext_lazy("已答复"),
        REHANDLING: gettext_lazy("重新办理"),
    }
    # States in which nothing more is expected of the department: no countdown, no overdue flag.
    DONE = {RETURNED, OPINION_SUBMITTED, REPLY_ISSUED}


def inbox_assignments(department):
    """The department's assignments for the inbox, in ONE query whatever their number.

    The proposal and its session come by join; whether a co-handling opinion was sent and the state
    of the department's latest reply come as subqueries, so no row needs a further query.
    """
    latest_reply = Response.objects.filter(
        proposal_id=OuterRef("proposal_id"), department_id=OuterRef("department_id")
    ).order_by("-version")
    sent_opinion = CoHandlingOpinion.objects.filter(
        assignment_id=OuterRef("pk"), status=CoHandlingOpinion.Status.SUBMITTED
    )
    return (
        Assignment.objects.filter(department=department)
        .select_related("proposal__session__committee")
        .annotate(
            opinion_sent=Exists(sent_opinion),
            reply_status=Subquery(latest_reply.values("status")[:1]),
            reply_pk=Subquery(latest_reply.values("pk")[:1]),
        )
        .annotate(
            withdrawn=Case(
                When(
                    Q(returned_on__isnull=False) & ~Q(objection_decision=Assignment.ObjectionDecision.KEPT),
                    then=1,
                ),
                default=0,
            )
        )
        .order_by("withdrawn", F("due_on").asc(nulls_last=True), "pk")
    )


def assignment_state(assignment):
    """The inbox state of an assignment annotated by `inbox_assignments`."""
    if not is_standing(assignment):
        return InboxState.RETURNED
    if assignment.role == Assignment.Role.CO_HANDLING and assignment.opinion_sent:
        return InboxState.OPINION_SUBMITTED
    reply_status = getattr(assignment, "reply_status", None)
    if reply_status in REPLIED_STATES:
        if assignment.proposal.status == Proposal.Status.REHANDLING:
            return InboxState.REHANDLING  # the proposer was not satisfied: a further reply is due
        return InboxState.REPLY_ISSUED
    if reply_status == Response.Status.SUBMITTED:
        return InboxState.REPLY_SUBMITTED
    if reply_status == Response.Status.DRAFT:
        return InboxState.REPLY_DRAFT
    if assignment.received_on:
        return InboxState.RECEIVED
    return InboxState.AWAITING_RECEIPT


@dataclass
class InboxRow:
    assignment: Assignment
    state: str
    days_left: int | None  # calendar days to the due date; negative when overdue; None when done

    @property
    def state_label(self):
        return InboxState.LABELS[self.state]

    @property
    def is_overdue(self):
        return self.days_left is not None and self.days_left < 0

    @property
    def days_overdue(self):
        return -self.days_left if self.is_overdue else 0


def inbox(department, today=None):
    """The inbox rows of a department (one query, see inbox_assignments)."""
    today = _today(today)
    rows = []
    for assignment in inbox_assignments(department):
        state = assignment_state(assignment)
        days_left = None
        if assignment.due_on and state not in InboxState.DONE:
            days_left = (assignment.due_on - today).days
        rows.append(InboxRow(assignment, state, days_left))
    return rows


# --- Receipt and return ------------------------------------------------------------------------


def _locked_assignment(assignment):
    return (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("proposal__session__committee", "department", "assigned_by")
        .get(pk=assignment.pk)
    )


def receive(assignment, *, user, today=None):
    """签收: the department acknowledges the assignment. The first receipt on a proposal moves it
    from assigned to in handling. Tells the office."""
    today = _today(today)
    with transaction.atomic():
        assignment = _locked_assignment(assignment)
        if not is_standing(assignment):
            raise Refused(_("本单位已退回此交办，不能再签收。"))
        if assignment.received_on:
            raise Refused(
                _("已于%(date)s签收，无需重复签收。") % {"date": format_day(assignment.received_on)}
            )
        assignment.received_on = today
        assignment.save(update_fields=["received_on"])
        proposal = Proposal.objects.select_for_update(of=("self",)).get(pk=assignment.proposal_id)
        if proposal.status == Proposal.Status.ASSIGNED:
            proposal.status = Proposal.Status.IN_HANDLING
            proposal.save(update_fields=["status", "updated_at"])
        event = proposal.record(
            Event.Kind.RECEIVED,
            actor=user,
            department=assignment.department,
            message=_("%(department)s已签收（%(role)s）。")
            % {"department": assignment.department, "role": assignment.get_role_display()},
        )
        notify(event, office=True)
    return assignment


def objection_deadline(assignment):
    """The last day the department may return the assignment, or None when the assignment date is
    not recorded. Raises CalendarNotCovered outside the holiday calendar. Uses the proposal's
    committee (select_related proposal__session__committee)."""
    if assignment.assigned_on is None:
        return None
    committee = assignment.proposal.session.committee
    rules = DeadlineRules(objection_working_days=committee.objection_working_days)
    return rules.objection_deadline(assignment.assigned_on)


def return_refusal(assignment, today=None):
    """Why the assignment cannot be returned today, or None when it can. Runs a query for replies."""
    today = _today(today)
    if assignment.returned_on:
        return _("已于%(date)s退回。") % {"date": format_day(assignment.returned_on)}
    if Response.objects.filter(
        proposal_id=assignment.proposal_id, department_id=assignment.department_id, status__in=REPLIED_STATES
    ).exists():
        return _("本单位已答复此提案，不能退回。")
    try:
        deadline = objection_deadline(assignment)
    except CalendarNotCovered as error:
        return str(error)
    if deadline is None:
        return _("交办日期未登记，无法确定交办异议期，请与政协办公厅联系。")
    if today > deadline:
        return _(
            "交办异议期已于%(date)s届满（交办后%(days)s个工作日内），不能再退回。"
            "如确有异议，请与政协办公厅联系。"
        ) % {
            "date": format_day(deadline),
            "days": assignment.proposal.session.committee.objection_working_days,
        }
    return None


def return_assignment(assignment, *, reason, user, today=None):
    """退回: within the objection window, the department hands the assignment back with its reasons.
    The office is told and decides (reassign or keep)."""
    today = _today(today)
    reason = (reason or "").strip()
    if not reason:
        raise Refused(_("退回须说明理由。"), field="reason")
    with transaction.atomic():
        assignment = _locked_assignment(assignment)
        refusal = return_refusal(assignment, today)
        if refusal:
            raise Refused(refusal)
        assignment.returned_on = today
        assignment.return_reason = reason
        assignment.save(update_fields=["returned_on", "return_reason"])
        event = assignment.proposal.record(
            Event.Kind.RETURNED,
            actor=user,
            department=assignment.department,
            message=_("%(department)s退回交办（%(role)s），理由：%(reason)s")
            % {"department": assignment.department, "role": assignment.get_role_display(), "reason": reason},
        )
        notify(event, office=True)
    return assignment


def _require_handling(assignment):
    if not is_standing(assignment):
        raise Refused(_("本单位已退回此交办。"))
    if not assignment.received_on:
        raise Refused(_("请先签收此交办。"))


# --- Co-handling opinions ----------------------------------------------------------------------


def current_opinion(assignment):
    """The opinion draft being written, or None (one query)."""
    return (
        assignment.opinions.filter(status=CoHandlingOpinion.Status.DRAFT)
        .order_by("-created_at", "-pk")
        .first()
    )


def save_opinion(assignment, *, text, user, submit=False, today=None):
    """Save the co-handling department's opinion draft; with submit=True send it to the lead
    department (status submitted, dated today) and tell the lead."""
    today = _today(today)
    text = (text or "").strip()
    if not text:
        raise Refused(_("请填写会办意见。"), field="text")
    with transaction.atomic():
        assignment = _locked_assignment(assignment)
        if assignment.role != Assignment.Role.CO_HANDLING:
            raise Refused(_("只有会办单位提交会办意见。"))
        _require_handling(assignment)
        opinion = current_opinion(assignment) or CoHandlingOpinion(assignment=assignment)
        opinion.text = text
        opinion.author = user
        if submit:
            opinion.status = CoHandlingOpinion.Status.SUBMITTED
            opinion.submitted_on = today
        opinion.save()
        if submit:
            lead = [
                a.department
                for a in assignment.proposal.assignments.active().lead().select_related("department")
            ]
            event = assignment.proposal.record(
                Event.Kind.OPINION_SUBMITTED,
                actor=user,
                department=assignment.department,
                message=_("%(department)s送来会办意见。") % {"department": assignment.department},
            )
            notify(event, departments=lead, body=f"{event.message}\n\n{text}")
    return opinion


def submitted_opinions(proposal):
    """Co-handling opinions sent on this proposal, with their departments (one query)."""
    return (
        CoHandlingOpinion.objects.filter(
            assignment__proposal=proposal, status=CoHandlingOpinion.Status.SUBMITTED
        )
        .select_related("assignment__department")
        .order_by("assignment__position", "submitted_on", "pk")
    )


# --- Drafting the reply ------------------------------------------------------------------------


def _proposers(proposal):
    return [
        link.proposer
        for link in ProposalProposer.objects.filter(proposal=proposal)
        .select_related("proposer")
        .order_by("position")
    ]


def _salutation(proposers):
    if not proposers:
        return ""
    kind = proposers[0].kind
    if kind == Proposer.Kind.COLLECTIVE:
        return f"{proposers[0].name}："
    title = Proposer.Kind(kind).label
    if len(proposers) > 3:
        return f"{proposers[0].name}等{title}："
    return f"{'、'.join(p.name for p in proposers)}{title}："


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
        "title": f"关于{session}\n{number}{kind}答复的函",
        "salutation": _salutation(_proposers(proposal)),
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

    Returns (response, created). A department that has issued its reply starts a new one only when
    the proposal is sent back for re-handling; corrections go through start_correction.
    """
    with transaction.atomic():
        assignment = _locked_assignment(assignment)
        if assignment.role not in ANSWERING_ROLES:
            raise Refused(_("会办单位不直接答复提案者，请向主办单位提交会办意见。"))
        _require_handling(assignment)
        proposal, department = assignment.proposal, assignment.department
        existing = open_reply(proposal, department)
        if existing:
            return existing, False
        issued = Response.objects.filter(proposal=proposal, department=department, status__in=REPLIED_STATES)
        if issued.exists() and proposal.status != Proposal.Status.REHANDLING:
            raise Refused(_("本单位已签发答复。如需修改，请在答复页面发起更正。"))
        try:
            with transaction.atomic():
                response = Response.objects.create(
                    proposal=proposal,
                    department=department,
                    version=_next_version(proposal.pk, department.pk),
                    **draft_defaults(proposal, department),
                )
        except IntegrityError:  # someone else started it a moment ago
            return open_reply(proposal, department), False
    return response, True


def submission_problems(response):
    """What keeps a reply from going to sign-off, as Chinese sentences (one query for the items)."""
    problems = []
    if not response.title.strip():
        problems.append(_("请填写标题。"))
    if not response.salutation.strip():
        problems.append(_("请填写称呼。"))
    if not response.items.filter(parent__isnull=True).exists():
        problems.append(_("答复至少要有一个条目。"))
    if not response.result_class:
        problems.append(_("请选择办复类别。"))
    if not response.disclosure:
        problems.append(_("请选择公开属性。"))
    return problems


def _locked_reply(response):
    return (
        Response.objects.select_for_update(of=("self",))
        .select_related("proposal__session__committee", "department")
        .get(pk=response.pk)
    )


def submit_reply(response, *, user):
    """送审: a complete draft goes to sign-off (draft → submitted)."""
    with transaction.atomic():
        response = _locked_reply(response)
        if response.status != Response.Status.DRAFT:
            raise Refused(
                _("只有草稿可以送审，此答复当前为“%(status)s”。") % {"status": response.get_status_display()}
            )
        problems = submission_problems(response)
        if problems:
            raise Refused(" ".join(problems))
        response.status = Response.Status.SUBMITTED
        response.lock_version = F("lock_version") + 1  # editors who loaded the draft must reload
        response.save(update_fields=["status", "lock_version", "updated_at"])
        response.refresh_from_db(fields=["lock_version"])
        response.proposal.record(
            Event.Kind.REPLY_SUBMITTED,
            actor=user,
            department=response.department,
            message=_("%(department)s答复稿送审（第%(version)s版）。")
            % {"department": response.department, "version": response.version},
        )
    return response


def can_sign_off(user, response):
    profile = Profile.of(user)
    return bool(
        profile
        and profile.role == Profile.Role.DEPARTMENT
        and profile.can_sign_off
        and profile.department_id == response.department_id
    )


def issue_reply(response, *, user, today=None):
    """签发: a signer of the answering department issues a submitted reply. The reply is frozen from
    then on; the proposal moves to replied once every answering department has replied (a
    correction leaves the proposal's state alone); the proposers and the co-handling departments
    are told."""
    today = _today(today)
    with transaction.atomic():
        response = _locked_reply(response)
        if not can_sign_off(user, response):
            raise Refused(_("只有本单位有签发权限的人员可以签发答复。"))
        if response.status != Response.Status.SUBMITTED:
            raise Refused(
                _("只有送审的答复可以签发，此答复当前为“%(status)s”。")
                % {"status": response.get_status_display()}
            )
        problems = submission_problems(response)
        if problems:
            raise Refused(" ".join(problems))
        response.status = Response.Status.ISSUED
        response.issued_on = today
        response.issued_by = user
        response.lock_version = F("lock_version") + 1
        response.save(update_fields=["status", "issued_on", "issued_by", "lock_version", "updated_at"])
        response.refresh_from_db(fields=["lock_version"])
        proposal = Proposal.objects.select_for_update(of=("self",)).get(pk=response.proposal_id)
        if not response.supersedes_id and _all_answered(proposal):
            proposal.status = Proposal.Status.REPLIED
            proposal.save(update_fields=["status", "updated_at"])
        if response.supersedes_id:
            message = _("%(department)s签发更正答复（第%(version)s版）。")
        else:
            message = _("%(department)s签发答复（第%(version)s版）。")
        event = proposal.record(
            Event.Kind.REPLY_ISSUED,
            actor=user,
            department=response.department,
            message=message % {"department": response.department, "version": response.version},
            public=True,
        )
        co = [
            a.department
            for a in proposal.assignments.active()
            .filter(role=Assignment.Role.CO_HANDLING)
            .select_related("department")
        ]
        notify(event, proposers=_proposers(proposal), departments=co)
    return response


def _all_answered(proposal):
    """True when every standing lead or separate-handling department has issued a reply."""
    answering = proposal.assignments.active().filter(role__in=ANSWERING_ROLES)
    replied = Response.objects.filter(
        proposal=proposal, department_id=OuterRef("department_id"), status__in=REPLIED_STATES
    )
    return not answering.exclude(Exists(replied)).exists()


def start_correction(response, *, reason, user):
    """更正: copy an issued reply, items, sub-items and commitments, into a new draft version that
    supersedes it. The original stays as issued."""
    reason = (reason or "").strip()
    if not reason:
        raise Refused(_("请说明更正理由。"), field="reason")
    with transaction.atomic():
        original = _locked_reply(response)
        if original.status not in REPLIED_STATES:
            raise Refused(_("只有已签发的答复可以更正；草稿请直接修改。"))
        if Response.objects.filter(supersedes=original).exists():
            raise Refused(_("此答复已有更正版本。"))
        correction = Response.objects.get(pk=original.pk)
        correction.pk = None
        correction._state.adding = True
        correction.version = _next_version(original.proposal_id, original.department_id)
        correction.status = Response.Status.DRAFT
        correction.supersedes = original
        correction.correction_reason = reason
        correction.issued_on = None
        correction.issued_by = None
        correction.published_on = None
        correction.lock_version = 0
        correction.save()
        _copy_items(original, correction)
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
    for commitment in Commitment.objects.filter(item__response=original).order_by("item_id", "position"):
        commitment.pk = None
        commitment._state.adding = True
        commitment.item_id = new_pk[commitment.item_id]
        commitment.save()


# --- Optimistic locking ------------------------------------------------------------------------

# The letter fields the edit page changes, with the labels the stale-edit message uses.
LOCKED_FIELDS = [
    "title",
    "document_number",
    "signed_by",
    "salutation",
    "opening",
    "closing",
    "signoff_unit",
    "review_note",
    "contact_unit",
    "contact_person",
    "contact_phone",
    "contact_postcode",
    "copied_to",
    "result_class",
    "disclosure",
    "status",
]
_SNAPSHOT_SALT = "responses.drafting.snapshot"


class StaleEdit(Exception):
    """Someone saved the reply after this editor loaded it: nothing was saved."""


def items_outline(response):
    """The items, sub-items and commitments as plain data, in order (two queries)."""
    items = list(response.items.order_by(F("parent_id").asc(nulls_first=True), "position"))
    commitments = {}
    for commitment in Commitment.objects.filter(item__response=response).order_by("item_id", "position"):
        commitments.setdefault(commitment.item_id, []).append(
            [commitment.text, commitment.owner_id, str(commitment.due_on or "")]
        )
    children = {}
    for item in items:
        children.setdefault(item.parent_id, []).append(item)

    def outline(item):
        return {
            "label": item.number_label,
            "heading": item.heading,
            "paragraphs": item.paragraphs,
            "commitments": commitments.get(item.pk, []),
            "children": [outline(child) for child in children.get(item.pk, [])],
        }

    return [outline(item) for item in children.get(None, [])]


def _digest(value):
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def snapshot(response):
    """What the editor saw, as one digest per field plus one for all items: signed, for a hidden
    input. Comparing it with the reply as it is now names the fields someone else changed."""
    values = {name: _digest(getattr(response, name)) for name in LOCKED_FIELDS}
    values["items"] = _digest(items_outline(response))
    return signing.dumps(values, salt=_SNAPSHOT_SALT, compress=True)


def changed_fields(base, response):
    """The names of the fields (and "items") that differ between the signed snapshot `base` and the
    reply now. An unreadable snapshot counts as everything changed."""
    try:
        seen = signing.loads(base or "", salt=_SNAPSHOT_SALT)
    except signing.BadSignature:
        seen = {}
    now = {name: _digest(getattr(response, name)) for name in LOCKED_FIELDS}
    now["items"] = _digest(items_outline(response))
    return [name for name, digest in now.items() if seen.get(name) != digest]


def claim_edit(response, lock_version):
    """Take the next edit version of the reply: one conditional UPDATE that succeeds only if nobody
    saved since `lock_version` was read and the reply is still editable. Of two concurrent saves
    based on the same version only one wins; the other raises StaleEdit. Call inside the save's
    transaction, so a failed save gives the version back."""
    claimed = Response.objects.filter(
        pk=response.pk, lock_version=lock_version, status__in=OPEN_STATES
    ).update(lock_version=F("lock_version") + 1)
    if not claimed:
        raise StaleEdit
    response.lock_version = lock_version + 1


def renumber(items, *, sub=False):
    """Give sibling items the positions 1, 2, … in the given order and the matching printed labels
    (一、二、… or （一）（二）…). Moves them through free positions first, so the unique position
    constraints hold at every step on every database."""
    label = subsection_label if sub else section_label
    if all(item.position == n and item.number_label == label(n) for n, item in enumerate(items, 1)):
        return
    for offset, item in enumerate(items, 1):
        ResponseItem.objects.filter(pk=item.pk).update(position=10000 + offset)
    for position, item in enumerate(items, 1):
        item.position = position
        item.number_label = label(position)
        item.save(update_fields=["position", "number_label"])


def renumber_commitments(commitments):
    """Positions 1, 2, … for one item's commitments, in the given order (see renumber)."""
    if all(commitment.position == n for n, commitment in enumerate(commitments, 1)):
        return
    for offset, commitment in enumerate(commitments, 1):
        Commitment.objects.filter(pk=commitment.pk).update(position=10000 + offset)
    for position, commitment in enumerate(commitments, 1):
        commitment.position = position
        commitment.save(update_fields=["position"])


# --- Commitments ---------------------------------------------------------------------------------


def current_commitments():
    """Commitments of issued or published replies that no issued correction has replaced."""
    return Commitment.objects.filter(item__response__status__in=REPLIED_STATES).exclude(
        item__response__superseded_by__status__in=REPLIED_STATES
    )


def department_commitments(department):
    """Current commitments this department owns or made in its own replies."""
    return current_commitments().filter(Q(owner=department) | Q(item__response__department=department))


def open_commitments(department):
    """The department's open commitments for its list, in ONE query: reply, proposal and owner by
    join, the date of the latest progress report as an aggregate."""
    return (
        department_commitments(department)
        .filter(status__in=[Commitment.Status.PLANNED, Commitment.Status.IN_PROGRESS])
        .select_related("item__response__proposal", "item__response__department", "owner", "item__parent")
        .annotate(last_reported_on=Max("progress_updates__reported_on"), reports=Count("progress_updates"))
        .order_by(F("due_on").asc(nulls_last=True), "item__response__proposal__number", "item_id", "position")
    )


def report_progress(commitment, *, reported_on, status, text, user, today=None):
    """A dated progress report on a commitment. The commitment takes the report's status unless a
    later report already exists. The event is public when the reply is."""
    today = _today(today)
    text = (text or "").strip()
    if not text:
        raise Refused(_("请填写进展情况。"), field="text")
    if reported_on > today:
        raise Refused(_("报告日期不能晚于今天。"), field="reported_on")
    with transaction.atomic():
        commitment = (
            Commitment.objects.select_for_update(of=("self",))
            .select_related("item__response__proposal", "item__response__department")
            .get(pk=commitment.pk)
        )
        latest = commitment.progress_updates.aggregate(latest=Max("reported_on"))["latest"]
        progress = CommitmentProgress.objects.create(
            commitment=commitment, reported_on=reported_on, status=status, text=text, reported_by=user
        )
        if latest is None or reported_on >= latest:
            commitment.status = status
            commitment.save(update_fields=["status"])
        reply = commitment.item.response
        profile = Profile.of(user)
        reply.proposal.record(
            Event.Kind.COMMITMENT_PROGRESS,
            actor=user,
            department=profile.department if profile else None,
            message=_("承诺“%(commitment)s”：%(status)s（%(date)s）。%(text)s")
            % {
                "commitment": commitment,
                "status": progress.get_status_display(),
                "date": format_day(reported_on),
                "text": text,
            },
            public=reply.is_public,
        )
    return progress
