"""The office's page of one proposal, with its audit trail, and its attachments."""

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import FileResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from responses.models import CoHandlingOpinion, Response

from ...access import get_proposal_for_office
from ...models import (
    Assignment,
    Chase,
    DeadlineExtension,
    Department,
    Event,
    Proposal,
    ProposalAttachment,
    Session,
)

# The proposal page ----------------------------------------------------------------------------


def _office_page():
    """Everything the office page shows, in a fixed number of queries: the proposal with its
    session and merge target; proposers; attachments; assignments with their departments, chases,
    extensions and co-handling opinions; replies of any status with feedback; the timeline."""
    assignments = (
        Assignment.objects.select_related("department", "assigned_by", "assigned_by_user")
        .prefetch_related(
            Prefetch(
                "chases", queryset=Chase.objects.select_related("chased_by").order_by("-chased_at", "-pk")
            ),
            Prefetch(
                "extensions",
                queryset=DeadlineExtension.objects.select_related("granted_by").order_by("granted_at"),
            ),
            Prefetch("opinions", queryset=CoHandlingOpinion.objects.order_by("created_at")),
        )
        .in_role_order()
    )
    replies = (
        Response.objects.select_related("department")
        .prefetch_related("feedback__proposer")
        .order_by("department__name", "version")
    )
    return (
        Proposal.objects.select_related("session__committee", "merged_into", "created_by")
        .with_proposers()
        .prefetch_related(
            "attachments",
            "merged_proposals",
            Prefetch("assignments", queryset=assignments),
            Prefetch("responses", queryset=replies),
            Prefetch(
                "events",
                queryset=Event.objects.select_related("actor", "department").order_by("created_at", "pk"),
            ),
        )
    )


def _display(field, value, names):
    if value is None or value == "":
        return "—"
    if field.choices:
        return str(dict(field.choices).get(value, value))
    if field.is_relation:
        return names.get((field.related_model, value), f"#{value}")
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, datetime.date):
        return f"{value.year}年{value.month}月{value.day}日"
    text = str(value)
    return text if len(text) <= 80 else f"{text[:80]}…"


def _audit_trail(proposal):
    """Field changes from the simple-history tables of the proposal and its assignments, oldest
    first: [{"when", "who", "what", "created", "changes": [(label, old, new)]}]. Two queries for the
    histories, one per related model whose names are shown (departments, users, proposals, sessions)."""
    proposal_records = list(
        proposal.history.select_related("history_user").order_by("history_date", "history_id")
    )
    assignment_records = list(
        Assignment.history.filter(proposal_id=proposal.pk)
        .select_related("history_user")
        .order_by("id", "history_date", "history_id")
    )
    skip = {"id", "proposal", "created_at", "updated_at"}
    tracked = {
        Proposal: [f for f in Proposal._meta.concrete_fields if f.name not in skip],
        Assignment: [f for f in Assignment._meta.concrete_fields if f.name not in skip],
    }
    wanted = {}
    for model, records in ((Proposal, proposal_records), (Assignment, assignment_records)):
        for field in tracked[model]:
            if field.is_relation:
                ids = {getattr(r, field.attname) for r in records} - {None}
                wanted.setdefault(field.related_model, set()).update(ids)
    names = {}
    for model, ids in wanted.items():
        if not ids:
            continue
        if model is get_user_model():
            objects = model.objects.filter(pk__in=ids)
        elif model is Session:
            objects = model.objects.select_related("committee").filter(pk__in=ids)
        else:
            objects = model.objects.filter(pk__in=ids)
        names.update({(model, obj.pk): str(obj) for obj in objects})

    rows = []
    for model, records in ((Proposal, proposal_records), (Assignment, assignment_records)):
        previous = None
        for record in records:
            if previous is not None and previous.id != record.id:
                previous = None
            if model is Assignment:
                what = _("交办：%(department)s") % {
                    "department": names.get((Department, record.department_id), "")
                }
            else:
                what = _("提案")
            changes = []
            if previous is not None:
                for field in tracked[model]:
                    old, new = getattr(previous, field.attname), getattr(record, field.attname)
                    if old != new:
                        changes.append(
                            (
                                str(field.verbose_name),
                                _display(field, old, names),
                                _display(field, new, names),
                            )
                        )
            if previous is None or changes or record.history_type != "~":
                rows.append(
                    {
                        "when": record.history_date,
                        "who": record.history_user,
                        "what": what,
                        "type": record.get_history_type_display(),
                        "created": previous is None,
                        "changes": changes,
                    }
                )
            previous = record
    rows.sort(key=lambda row: row["when"])
    return rows


@login_required
def proposal_detail(request, pk):
    proposal = get_proposal_for_office(request, pk, _office_page())
    return render(
        request,
        "office/proposal_detail.html",
        {
            "proposal": proposal,
            "audit": _audit_trail(proposal),
            "Status": Proposal.Status,
            "Role": Assignment.Role,
        },
    )


@login_required
def attachment(request, pk):
    item = get_object_or_404(ProposalAttachment, pk=pk)
    get_proposal_for_office(request, item.proposal_id)
    return FileResponse(item.file.open("rb"), as_attachment=True, filename=item.name or item.file.name)
