"""The office's steps in a proposal's life (办公厅): log, review, assign, handle objections, extend,
chase. Publishing (which publishes replies too) is responses/publication.py.

Each step is a plain function that runs in one transaction, re-reads the row it changes under a
lock, refuses a step that the current state does not allow (`StepRefused`), appends Events to the
timeline and asks `notifications.notify` to email the people concerned once the transaction commits.
Forms check what a user typed; these functions check what the database says.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tracker.chinese import format_day

from .deadlines import DeadlineRules
from .models import (
    Assignment,
    Chase,
    DeadlineExtension,
    Department,
    Event,
    Proposal,
    ProposalAttachment,
    ProposalProposer,
    ProposalVersion,
    Proposer,
)
from .notifications import notify
from .suggestions import suggestions_from_body

# Where a mail sends its reader: the workspace view redirects each role to its own pages, and
# works for proposals that are not (yet) public.
WORKSPACE = "workspace"

# A proposal that has been assigned and not yet answered (or is being answered again).
OPEN_STATES = [Proposal.Status.ASSIGNED, Proposal.Status.IN_HANDLING, Proposal.Status.REHANDLING]


class StepRefused(ValidationError):
    """The step does not fit the record's current state (e.g. reviewing a proposal twice)."""


def rules_for(committee):
    """The committee's deadline rules. Raises ValueError when a setting is out of range (e.g. 0 months)."""
    return DeadlineRules(
        reply_months=committee.reply_months,
        opinion_months=committee.opinion_months,
        objection_working_days=committee.objection_working_days,
    )


def due_for(rules, role, assigned_on):
    """The default due date of an assignment in `role`: the reply for lead and separate handling,
    the opinion for co-handling."""
    if role == Assignment.Role.CO_HANDLING:
        return rules.opinion_due(assigned_on)
    return rules.reply_due(assigned_on)


def office_department(committee):
    """The committee's own office (Department.Kind.OFFICE), or None. One query."""
    return (
        Department.objects.filter(committee=committee, kind=Department.Kind.OFFICE)
        .order_by("-is_active", "name")
        .first()
    )


def suggest_number(session):
    """The next registration number in the session: the largest all-digit number + 1, keeping its
    width (20200287 → 20200288), or <year>0001 when the session has none. One query."""
    numbers = Proposal.objects.filter(session=session).exclude(number="").values_list("number", flat=True)
    numeric = [n for n in numbers if n.isascii() and n.isdigit()]
    if not numeric:
        return f"{session.year}0001"
    highest = max(numeric, key=int)
    return str(int(highest) + 1).zfill(len(highest))


def proposers_of(proposal):
    """The proposal's proposers in signing order. One query."""
    return [link.proposer for link in proposal.proposer_links.select_related("proposer").order_by("position")]


def locked(proposal, *allowed):
    """Re-read the proposal under a row lock and check its state is one of `allowed`."""
    current = Proposal.objects.select_for_update().select_related("session__committee").get(pk=proposal.pk)
    if allowed and current.status not in allowed:
        raise StepRefused(
            _("提案当前状态为“%(status)s”，不能进行此操作。") % {"status": current.get_status_display()}
        )
    return current


def _locked_assignment(assignment):
    return (
        Assignment.objects.select_for_update()
        .select_related("proposal__session__committee", "department")
        .get(pk=assignment.pk)
    )


def _user(actor):
    """The actor as a user to store on a row, or None (a command, or an anonymous request)."""
    return actor if actor is not None and actor.is_authenticated else None


def _link_proposers(proposal, proposers):
    """Sign the proposal with `proposers` in order: Proposer objects, or (name, kind) pairs for people
    not on file yet, created here. The first is the 第一提案人."""
    links = []
    for position, proposer in enumerate(proposers, 1):
        if not isinstance(proposer, Proposer):
            name, proposer_kind = proposer
            proposer = Proposer.objects.create(name=name, kind=proposer_kind)
        links.append(ProposalProposer(proposal=proposal, proposer=proposer, position=position))
    ProposalProposer.objects.bulk_create(links)


# 1. Logging ------------------------------------------------------------------------------------


@transaction.atomic
def log_proposal(
    *, session, kind, title, body="", category="", submitted_on=None, proposers, attachments=(), actor
):
    """Create a submitted proposal. `proposers` is an ordered list of Proposer objects or
    (name, kind) pairs for people not on file yet; the first is the 第一提案人."""
    proposal = Proposal.objects.create(
        session=session,
        kind=kind,
        title=title,
        body=body,
        category=category,
        submitted_on=submitted_on,
        status=Proposal.Status.SUBMITTED,
        created_by=_user(actor),
    )
    _link_proposers(proposal, proposers)
    suggestions_from_body(proposal)
    for upload in attachments:
        ProposalAttachment.objects.create(proposal=proposal, file=upload, name=upload.name[:200])
    proposal.record(Event.Kind.SUBMITTED, actor=actor, message=_("办公厅登记提交"), public=True)
    return proposal


# Correcting a logged proposal before registration ----------------------------------------------

# States in which the office may still correct what it logged (立案 fixes the record).
EDITABLE_STATES = [Proposal.Status.DRAFT, Proposal.Status.SUBMITTED]
EDITABLE_FIELDS = ("kind", "title", "body", "category", "submitted_on")


def _shown(proposal, field_name):
    field = Proposal._meta.get_field(field_name)
    value = getattr(proposal, field_name)
    if value in (None, ""):
        return "—"
    if field.choices:
        return str(getattr(proposal, f"get_{field_name}_display")())
    if field_name == "submitted_on":
        return format_day(value)
    text = str(value)
    return text if len(text) <= 40 else f"{text[:40]}…"


def _proposer_names(proposers):
    return "、".join(p.name if isinstance(p, Proposer) else p[0] for p in proposers)


@transaction.atomic
def edit_proposal(proposal, *, proposers, actor, **values):
    """Correct a proposal before registration: the EDITABLE_FIELDS in `values` and the ordered
    `proposers` (as for log_proposal). Records one EDITED event naming each change, old → new;
    returns the list of changes (empty: nothing changed, nothing recorded). Refused once registered."""
    proposal = locked(proposal, *EDITABLE_STATES)
    changes = []
    changed_fields = []
    for name in EDITABLE_FIELDS:
        if name not in values or getattr(proposal, name) == values[name]:
            continue
        label = str(Proposal._meta.get_field(name).verbose_name)
        old = _shown(proposal, name)
        setattr(proposal, name, values[name])
        # The body is long: say that it changed, not what it was.
        changes.append(label if name == "body" else f"{label}：{old} → {_shown(proposal, name)}")
        changed_fields.append(name)
    current = proposers_of(proposal)
    wanted = [p.pk if isinstance(p, Proposer) else p for p in proposers]
    if wanted != [p.pk for p in current]:
        label = _("提案者")
        changes.append(f"{label}：{_proposer_names(current) or '—'} → {_proposer_names(proposers)}")
        proposal.proposer_links.all().delete()
        _link_proposers(proposal, proposers)
    if not changes:
        return []
    if changed_fields:
        proposal.full_clean(exclude=["session", "created_by", "merged_into"])
        proposal.save(update_fields=[*changed_fields, "updated_at"])
    proposal.record(Event.Kind.EDITED, actor=actor, message=_("修改登记信息：") + "；".join(changes))
    return changes


# 2. Review (审查) ------------------------------------------------------------------------------


@transaction.atomic
def register(proposal, *, number, registered_on, note="", actor):
    proposal = locked(proposal, Proposal.Status.SUBMITTED)
    Proposal.check_number_free(proposal.session_id, number, pk=proposal.pk)
    proposal.number = number
    proposal.registered_on = registered_on
    proposal.registration_note = note
    event = proposal.move_to(
        Proposal.Status.REGISTERED,
        actor=actor,
        event=Event.Kind.REGISTERED,
        message=_("立案，编号第%(number)s号") % {"number": number},
        public=True,
        fields=("number", "registered_on", "registration_note"),
    )
    notify(
        event,
        proposers=proposers_of(proposal),
        body=_("您的提案《%(title)s》已立案，编号为第%(number)s号。")
        % {"title": proposal.title, "number": number},
        link=reverse(WORKSPACE),
    )
    return proposal


@transaction.atomic
def merge(proposal, *, into, note="", actor):
    """并案: the proposal is handled together with `into` (same session, registered, not merged)."""
    proposal = locked(proposal, Proposal.Status.SUBMITTED)
    if into.pk == proposal.pk or into.session_id != proposal.session_id:
        raise ValidationError({"merge_into": _("只能并入本次会议的其他提案。")})
    if into.status not in Proposal.Status.numbered() or into.status == Proposal.Status.MERGED:
        raise ValidationError({"merge_into": _("只能并入已立案的提案。")})
    proposal.merged_into = into
    proposal.registration_note = note
    event = proposal.move_to(
        Proposal.Status.MERGED,
        actor=actor,
        event=Event.Kind.MERGED,
        message=_("并入第%(number)s号提案办理") % {"number": into.number},
        public=True,
        fields=("merged_into", "registration_note"),
    )
    notify(
        event,
        proposers=proposers_of(proposal),
        body=_("您的提案《%(title)s》已并入第%(number)s号提案《%(into)s》办理。")
        % {"title": proposal.title, "number": into.number, "into": into.title},
        link=reverse(WORKSPACE),
    )
    return proposal


@transaction.atomic
def not_register(proposal, *, reason, note="", actor):
    proposal = locked(proposal, Proposal.Status.SUBMITTED)
    proposal.not_registered_reason = reason
    proposal.registration_note = note
    message = proposal.get_not_registered_reason_display()
    if note:
        message = f"{message}：{note}"
    # Not public: the reason may name a person or a case.
    event = proposal.move_to(
        Proposal.Status.NOT_REGISTERED,
        actor=actor,
        event=Event.Kind.NOT_REGISTERED,
        message=message,
        fields=("not_registered_reason", "registration_note"),
    )
    notify(
        event,
        proposers=proposers_of(proposal),
        body=_("您的提案《%(title)s》经审查不予立案。理由：%(reason)s")
        % {"title": proposal.title, "reason": message},
        link=reverse(WORKSPACE),
    )
    return proposal


@transaction.atomic
def refer(proposal, *, to, note="", actor):
    """转意见: not registered as a proposal, but sent to the unit `to` as an opinion for reference."""
    proposal = locked(proposal, Proposal.Status.SUBMITTED)
    proposal.referred_to = to
    proposal.registration_note = note
    message = _("转%(unit)s作为意见参考") % {"unit": to.name}
    if note:
        message = f"{message}：{note}"
    event = proposal.move_to(
        Proposal.Status.REFERRED,
        actor=actor,
        event=Event.Kind.REFERRED,
        message=message,
        fields=("referred_to", "registration_note"),
    )
    notify(
        event,
        proposers=proposers_of(proposal),
        body=_("您的提案《%(title)s》经审查不作为提案立案，已转%(unit)s作为意见参考。")
        % {"title": proposal.title, "unit": to.name},
        link=reverse(WORKSPACE),
    )
    return proposal


@transaction.atomic
def return_for_changes(proposal, *, remarks, actor):
    """退回修改: back to the member with the office's remarks; the member edits and submits again (a
    new ProposalVersion). The remarks are kept on the version that was returned."""
    proposal = locked(proposal, Proposal.Status.SUBMITTED)
    if not remarks.strip():
        raise ValidationError({"note": _("退回修改须写明修改意见。")})
    ProposalVersion.objects.filter(pk__in=proposal.versions.order_by("-number").values("pk")[:1]).update(
        return_remarks=remarks
    )
    proposal.times_returned += 1
    proposal.registration_note = remarks
    event = proposal.move_to(
        Proposal.Status.RETURNED,
        actor=actor,
        event=Event.Kind.RETURNED_FOR_CHANGES,
        message=remarks,
        fields=("times_returned", "registration_note"),
    )
    notify(
        event,
        proposers=proposers_of(proposal)[:1],
        body=_("您的提案《%(title)s》已退回修改。修改意见：%(remarks)s")
        % {"title": proposal.title, "remarks": remarks},
        link=reverse("members:draft_edit", args=[proposal.pk]),
    )
    return proposal


# 3. Assignment (交办) ---------------------------------------------------------------------------


def describe_assignment(lead, co, separate):
    """The public sentence of an assignment: 交由X主办，Y、Z会办 / 交由X、Y分办."""
    if separate:
        return _("交由%(units)s分办") % {"units": "、".join(d.name for d in separate)}
    text = _("交由%(lead)s主办") % {"lead": lead.name}
    if co:
        text += _("，%(units)s会办") % {"units": "、".join(d.name for d in co)}
    return text


@transaction.atomic
def assign(proposal, *, assigned_on, lead=None, co=(), separate=(), actor):
    """交办. `lead` is (department, due_on); `co` and `separate` are ordered lists of
    (department, due_on). Either a lead (with any co-handlers) or separate handlers, never both."""
    proposal = locked(proposal, Proposal.Status.REGISTERED)
    if bool(lead) == bool(separate) or (co and not lead):
        raise StepRefused(_("须指定一个主办单位（可加会办单位），或若干分办单位。"))
    committee = proposal.session.committee
    rules = rules_for(committee)
    objection_deadline = rules.objection_deadline(assigned_on)  # may raise CalendarNotCovered
    assigned_by = office_department(committee)
    rows = []
    if lead:
        rows.append((Assignment.Role.LEAD, 1, *lead))
    rows += [(Assignment.Role.CO_HANDLING, i, d, due) for i, (d, due) in enumerate(co, 1)]
    rows += [(Assignment.Role.SEPARATE, i, d, due) for i, (d, due) in enumerate(separate, 1)]
    if len({department.pk for _role, _position, department, _due in rows}) != len(rows):
        raise StepRefused(_("同一单位不能重复交办。"))
    if proposal.assignments.filter(department__in=[row[2] for row in rows]).exists():
        raise StepRefused(_("所选单位已承办此提案。"))
    assignments = [
        Assignment.objects.create(
            proposal=proposal,
            department=department,
            role=role,
            position=position,
            assigned_by=assigned_by,
            assigned_on=assigned_on,
            due_on=due_on or due_for(rules, role, assigned_on),
            assigned_by_user=_user(actor),
        )
        for role, position, department, due_on in rows
    ]
    event = proposal.move_to(
        Proposal.Status.ASSIGNED,
        actor=actor,
        event=Event.Kind.ASSIGNED,
        department=assigned_by,
        message=describe_assignment(
            lead[0] if lead else None, [d for d, _due in co], [d for d, _due in separate]
        ),
        public=True,
    )
    for assignment in assignments:
        notify(
            event,
            departments=[assignment.department],
            body=_(
                "%(office)s将第%(number)s号提案《%(title)s》交由贵单位%(role)s，办理期限%(due)s。"
                "如认为交办不当，请于%(objection)s前提出异议并说明理由。"
            )
            % {
                "office": assigned_by or _("政协办公厅"),
                "number": proposal.number,
                "title": proposal.title,
                "role": assignment.get_role_display(),
                "due": format_day(assignment.due_on),
                "objection": format_day(objection_deadline),
            },
            link=reverse(WORKSPACE),
        )
    return assignments


# 4. Objections (交办异议) -----------------------------------------------------------------------


@transaction.atomic
def reassign(assignment, *, department, due_on=None, note="", actor):
    """改办: hand the returned assignment's role to another department. Returns the assignment that
    now stands for the role.

    The returned assignment keeps its record (objection_decision=REASSIGNED) and the new department
    gets a new Assignment in the same role; the one-lead constraint ignores reassigned rows."""
    assignment = _locked_assignment(assignment)
    if not assignment.awaits_objection_decision:
        raise StepRefused(_("该交办未被退回或已处理，无需改办。"))
    proposal = locked(assignment.proposal)
    if proposal.assignments.filter(department=department).exists():
        raise ValidationError({"department": _("该单位已承办此提案。")})
    today = timezone.localdate()
    due_on = due_on or due_for(rules_for(proposal.session.committee), assignment.role, today)
    old_department = assignment.department
    assignment.objection_decision = Assignment.ObjectionDecision.REASSIGNED
    assignment.objection_note = note
    assignment.save()
    current = Assignment.objects.create(
        proposal=proposal,
        department=department,
        role=assignment.role,
        position=assignment.position,
        assigned_by=assignment.assigned_by,
        assigned_on=today,
        due_on=due_on,
        assigned_by_user=_user(actor),
    )
    message = _("%(old)s退回后，改由%(new)s%(role)s") % {
        "old": old_department.name,
        "new": department.name,
        "role": current.get_role_display(),
    }
    event = proposal.record(
        Event.Kind.REASSIGNED, actor=actor, department=department, message=message, public=True
    )
    notify(
        event,
        departments=[department],
        body=_("第%(number)s号提案《%(title)s》改由贵单位%(role)s，办理期限%(due)s。")
        % {
            "number": proposal.number,
            "title": proposal.title,
            "role": current.get_role_display(),
            "due": format_day(due_on),
        },
        link=reverse(WORKSPACE),
    )
    notify(
        event,
        departments=[old_department],
        body=_("贵单位退回的第%(number)s号提案已改由%(new)s办理，贵单位无需再办理。")
        % {"number": proposal.number, "new": department.name},
        link=reverse(WORKSPACE),
    )
    return current


@transaction.atomic
def keep_assignment(assignment, *, reason, actor):
    """维持交办: the department must handle the proposal after all. returned_on and return_reason are
    kept as the record of the objection; objection_decision=KEPT marks the assignment as standing
    again (the overdue board counts it as open)."""
    assignment = _locked_assignment(assignment)
    if not assignment.awaits_objection_decision:
        raise StepRefused(_("该交办未被退回或已处理。"))
    assignment.objection_decision = Assignment.ObjectionDecision.KEPT
    assignment.objection_note = reason
    assignment.save()
    proposal = assignment.proposal
    message = _("维持交办%(department)s：%(reason)s") % {
        "department": assignment.department.name,
        "reason": reason,
    }
    event = proposal.record(
        Event.Kind.OBJECTION_KEPT, actor=actor, department=assignment.department, message=message
    )
    notify(
        event,
        departments=[assignment.department],
        body=_("贵单位对第%(number)s号提案的交办异议未予采纳，请继续%(role)s。理由：%(reason)s")
        % {"number": proposal.number, "role": assignment.get_role_display(), "reason": reason},
        link=reverse(WORKSPACE),
    )
    return assignment


# 5. Deadlines and chasing ----------------------------------------------------------------------


@transaction.atomic
def extend_deadline(assignment, *, new_due_on, reason, actor):
    assignment = _locked_assignment(assignment)
    extension = DeadlineExtension.objects.create(
        assignment=assignment,
        previous_due_on=assignment.due_on,
        new_due_on=new_due_on,
        reason=reason,
        granted_by=_user(actor),
    )
    previous = assignment.due_on
    assignment.due_on = new_due_on
    assignment.save()
    proposal = assignment.proposal
    message = _("%(department)s%(role)s期限由%(old)s延至%(new)s：%(reason)s") % {
        "department": assignment.department.name,
        "role": assignment.get_role_display(),
        "old": format_day(previous) if previous else _("未定"),
        "new": format_day(new_due_on),
        "reason": reason,
    }
    event = proposal.record(
        Event.Kind.DEADLINE_EXTENDED, actor=actor, department=assignment.department, message=message
    )
    notify(event, departments=[assignment.department], link=reverse(WORKSPACE))
    return extension


@transaction.atomic
def chase(assignment, *, note="", actor):
    """催办: record who chased which department when, and email the department's staff."""
    assignment = _locked_assignment(assignment)
    if not assignment.is_standing:
        raise StepRefused(_("该单位已退回交办，请先处理交办异议。"))
    record = Chase.objects.create(
        assignment=assignment,
        chased_by=_user(actor),
        note=note,
    )
    proposal = assignment.proposal
    due = format_day(assignment.due_on) if assignment.due_on else _("未定")
    message = _("催办%(department)s（%(role)s，期限%(due)s）") % {
        "department": assignment.department.name,
        "role": assignment.get_role_display(),
        "due": due,
    }
    if note:
        message = f"{message}：{note}"
    event = proposal.record(Event.Kind.CHASED, actor=actor, department=assignment.department, message=message)
    notify(
        event,
        departments=[assignment.department],
        body=_("请抓紧办理第%(number)s号提案《%(title)s》（%(role)s，办理期限%(due)s）。%(note)s")
        % {
            "number": proposal.number,
            "title": proposal.title,
            "role": assignment.get_role_display(),
            "due": due,
            "note": note,
        },
        link=reverse(WORKSPACE),
    )
    return record
