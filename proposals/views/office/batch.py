"""Registering and assigning many proposals at once, from the ticked rows of the office's list
(proposals/batch.py does the work, row by row through the one-by-one checks and steps)."""

from django.contrib import messages
from django.db import IntegrityError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from ... import batch
from ...access import office_required
from ...models import Proposal
from .assignments import _departments
from .common import form_data


def _selection(request):
    """The ticked proposals (ids from the list's checkboxes, or the batch form's hidden fields), or
    an error message."""
    source = request.POST if request.method == "POST" else request.GET
    ids = batch.selected_ids(source.getlist("ids"))
    if not ids:
        return None, _("请先在提案列表中勾选要处理的提案。")
    if len(ids) > batch.MAX_ROWS:
        return None, _("一次至多处理%(count)s件提案。") % {"count": batch.MAX_ROWS}
    proposals = batch.selected_proposals(ids)
    if not proposals:
        return None, _("请先在提案列表中勾选要处理的提案。")
    return proposals, None


def _back_to_list(request, message, status):
    messages.error(request, message)
    return redirect(f"{reverse('office:proposal_list')}?status={status}")


@office_required
def batch_register(request):
    proposals, problem = _selection(request)
    if problem:
        return _back_to_list(request, problem, Proposal.Status.SUBMITTED)
    data = form_data(request)
    suggested = batch.suggest_numbers(proposals) if data is None else None
    form = batch.BatchRegisterForm(data, proposals=proposals, suggested=suggested)
    refused = None
    if data is not None and form.is_valid():
        try:
            batch.register_many(
                form.plan(),
                registered_on=form.cleaned_data["registered_on"],
                note=form.cleaned_data["note"],
                actor=request.user,
            )
        except (batch.BatchRefused, IntegrityError) as exc:
            refused = " ".join(getattr(exc, "messages", [str(exc)]))
        else:
            messages.success(request, _("已立案%(count)s件提案，并通知提案者。") % {"count": len(proposals)})
            return redirect(f"{reverse('office:proposal_list')}?status={Proposal.Status.REGISTERED}")
    return render(
        request, "office/batch_register.html", {"form": form, "proposals": proposals, "refused": refused}
    )


@office_required
def batch_assign(request):
    proposals, problem = _selection(request)
    if problem:
        return _back_to_list(request, problem, Proposal.Status.REGISTERED)
    committees = {proposal.session.committee_id for proposal in proposals}
    if len(committees) > 1:
        return _back_to_list(
            request, _("批量交办只能选择同一政协（人大）的提案。"), Proposal.Status.REGISTERED
        )
    data = form_data(request)
    form = batch.BatchAssignForm(
        data, proposals=proposals, departments=_departments(proposals[0].session.committee)
    )
    refused = None
    if data is not None and form.is_valid():
        try:
            batch.assign_many(form.plans, actor=request.user)
        except batch.BatchRefused as exc:
            refused = " ".join(exc.messages)
        else:
            messages.success(
                request, _("已交办%(count)s件提案，并通知承办单位。") % {"count": len(proposals)}
            )
            return redirect(f"{reverse('office:proposal_list')}?status={Proposal.Status.ASSIGNED}")
    return render(
        request, "office/batch_assign.html", {"form": form, "proposals": proposals, "refused": refused}
    )
