"""The audit trail of the office's proposal page (responses/views/office.py), and attachments."""

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from tracker.chinese import format_day

from ...access import get_proposal_for_office
from ...models import (
    Assignment,
    Department,
    Proposal,
    ProposalAttachment,
    Session,
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
        return format_day(value)
    text = str(value)
    return text if len(text) <= 80 else f"{text[:80]}…"


def audit_trail(proposal):
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
def attachment(request, pk):
    item = get_object_or_404(ProposalAttachment, pk=pk)
    get_proposal_for_office(request, item.proposal_id)
    return FileResponse(item.file.open("rb"), as_attachment=True, filename=item.name or item.file.name)
