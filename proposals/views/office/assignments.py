"""Assigning a proposal, and then objections, deadline extensions and chasing."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ... import workflow
from ...access import get_assignment_for_office, get_proposal_for_office
from ...deadlines import CalendarNotCovered
from ...forms import AssignForm, ChaseForm, ExtendForm, ObjectionForm
from ...models import Assignment, Department, Proposal
from .common import form_data


def _back_to(request, fallback):
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return redirect(target)
    return redirect(fallback)


def _refused(request, exc):
    messages.error(request, " ".join(exc.messages))


# Assignment -----------------------------------------------------------------------------------


def _departments(committee):
    """Handling units of this committee (and units not tied to one), without the office itself."""
    return list(
        Department.objects.filter(Q(committee=committee) | Q(committee__isnull=True), is_active=True)
        .exclude(kind=Department.Kind.OFFICE)
        .order_by("name")
    )


@login_required
def assign(request, pk):
    proposal = get_proposal_for_office(request, pk, Proposal.objects.select_related("session__committee"))
    if proposal.status != Proposal.Status.REGISTERED:
        messages.error(request, _("只有已立案、尚未交办的提案可以交办。"))
        return redirect("office:proposal_detail", pk=proposal.pk)
    data = form_data(request)
    form = AssignForm(data, proposal=proposal, departments=_departments(proposal.session.committee))
    if data is not None and form.is_valid():
        try:
            workflow.assign(proposal, actor=request.user, **form.plan())
        except CalendarNotCovered as exc:
            form.add_error("assigned_on", str(exc))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("已交办，并通知承办单位。"))
            return redirect("office:proposal_detail", pk=proposal.pk)
    return render(request, "office/assign.html", {"proposal": proposal, "form": form})


# Objections, deadlines, chasing ---------------------------------------------------------------

_ASSIGNMENT = Assignment.objects.select_related("proposal__session__committee", "department")


@login_required
def objection(request, pk):
    assignment = get_assignment_for_office(request, pk, _ASSIGNMENT)
    proposal = assignment.proposal
    if not assignment.awaits_objection_decision:
        messages.error(request, _("该交办未被退回或异议已处理。"))
        return redirect("office:proposal_detail", pk=proposal.pk)
    form = ObjectionForm(
        form_data(request), assignment=assignment, departments=_departments(proposal.session.committee)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["decision"] == Assignment.ObjectionDecision.REASSIGNED:
                workflow.reassign(
                    assignment,
                    department=data["department"],
                    due_on=data["due_on"],
                    note=data["note"],
                    actor=request.user,
                )
                messages.success(request, _("已改办，并通知相关单位。"))
            else:
                workflow.keep_assignment(assignment, reason=data["note"].strip(), actor=request.user)
                messages.success(request, _("已维持交办，并通知该单位。"))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("office:proposal_detail", pk=proposal.pk)
    return render(
        request, "office/objection.html", {"assignment": assignment, "proposal": proposal, "form": form}
    )


@login_required
def extend(request, pk):
    assignment = get_assignment_for_office(request, pk, _ASSIGNMENT)
    proposal = assignment.proposal
    if not assignment.is_standing:
        messages.error(request, _("该单位已退回交办，不能延期。"))
        return redirect("office:proposal_detail", pk=proposal.pk)
    form = ExtendForm(form_data(request), assignment=assignment)
    if request.method == "POST" and form.is_valid():
        workflow.extend_deadline(
            assignment,
            new_due_on=form.cleaned_data["new_due_on"],
            reason=form.cleaned_data["reason"],
            actor=request.user,
        )
        messages.success(request, _("已延期，并通知该单位。"))
        return redirect("office:proposal_detail", pk=proposal.pk)
    return render(
        request, "office/extend.html", {"assignment": assignment, "proposal": proposal, "form": form}
    )


@require_POST
@login_required
def chase(request, pk):
    assignment = get_assignment_for_office(request, pk, _ASSIGNMENT)
    form = ChaseForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors.get("note", [])))
        return _back_to(request, reverse("office:overdue"))
    try:
        workflow.chase(assignment, note=form.cleaned_data["note"], actor=request.user)
    except ValidationError as exc:
        _refused(request, exc)
    else:
        messages.success(
            request, _("已向%(department)s发出催办。") % {"department": assignment.department.name}
        )
    return _back_to(request, reverse("office:overdue"))
