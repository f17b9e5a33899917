"""Logging and importing proposals, and reviewing them (立案, 并案, 不予立案)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from ... import importing, workflow
from ...access import get_proposal_for_office, office_required
from ...forms import (
    ImportForm,
    ProposalEditForm,
    ProposalForm,
    ProposerFormSet,
    ReviewForm,
    proposer_label,
)
from ...models import Proposal, Proposer
from .common import form_data, form_files

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# Logging and importing ------------------------------------------------------------------------


@office_required
def proposal_new(request):
    proposers = list(Proposer.objects.order_by("name", "pk"))
    data = form_data(request)
    form = ProposalForm(data, form_files(request))
    rows = ProposerFormSet(data, prefix="proposers", form_kwargs={"proposers": proposers})
    if request.method == "POST" and form.is_valid() and rows.is_valid():
        proposal = workflow.log_proposal(
            session=form.cleaned_data["session"],
            kind=form.cleaned_data["kind"],
            title=form.cleaned_data["title"],
            body=form.cleaned_data["body"],
            category=form.cleaned_data["category"],
            submitted_on=form.cleaned_data["submitted_on"],
            proposers=rows.entries,
            attachments=form.cleaned_data["attachments"],
            actor=request.user,
        )
        messages.success(request, _("提案已登记，待审查。"))
        return redirect("office:proposal_detail", pk=proposal.pk)
    return render(
        request,
        "office/proposal_form.html",
        {"form": form, "rows": rows, "proposer_count": len(proposers), "label_of": proposer_label},
    )


@login_required
def proposal_edit(request, pk):
    proposal = get_proposal_for_office(request, pk, Proposal.objects.select_related("session__committee"))
    if proposal.status not in workflow.EDITABLE_STATES:
        messages.error(request, _("提案已立案（或已审查），不能再修改登记信息。"))
        return redirect("office:proposal_detail", pk=proposal.pk)
    proposers = list(Proposer.objects.order_by("name", "pk"))
    current = workflow.proposers_of(proposal)
    data = form_data(request)
    form = ProposalEditForm(data, instance=proposal)
    rows = ProposerFormSet(
        data,
        prefix="proposers",
        initial=[{"proposer": proposer.pk} for proposer in current],
        form_kwargs={"proposers": proposers},
    )
    if request.method == "POST" and form.is_valid() and rows.is_valid():
        try:
            changes = workflow.edit_proposal(
                proposal,
                proposers=rows.entries,
                actor=request.user,
                **{name: form.cleaned_data[name] for name in workflow.EDITABLE_FIELDS},
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if changes:
                messages.success(request, _("已修改：%(changes)s。") % {"changes": "；".join(changes)})
            else:
                messages.info(request, _("没有改动。"))
            return redirect("office:proposal_detail", pk=proposal.pk)
    return render(
        request,
        "office/proposal_edit.html",
        {
            "proposal": proposal,
            "form": form,
            "rows": rows,
            "proposer_count": len(proposers),
            "label_of": proposer_label,
        },
    )


@office_required
def proposal_import(request):
    form = ImportForm(form_data(request), form_files(request))
    result = None
    if request.method == "POST" and form.is_valid():
        result = importing.import_workbook(
            form.cleaned_data["file"], form.cleaned_data["committee"], request.user
        )
        if result.ok:
            messages.success(request, _("已导入%(count)s件提案，待审查。") % {"count": len(result.created)})
            return redirect(f"{reverse('office:proposal_list')}?status={Proposal.Status.SUBMITTED}")
    return render(request, "office/import.html", {"form": form, "result": result})


@office_required
def import_template(request):
    response = HttpResponse(importing.build_template(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="proposals-template.xlsx"'
    return response


# Review ---------------------------------------------------------------------------------------


@login_required
def review(request, pk):
    proposal = get_proposal_for_office(request, pk, Proposal.objects.select_related("session__committee"))
    if proposal.status != Proposal.Status.SUBMITTED:
        messages.error(request, _("只有已提交、待审查的提案可以审查。"))
        return redirect("office:proposal_detail", pk=proposal.pk)
    # A duplicate flagged on the office pages links here with the 并案 prefilled (search/similarity.py).
    prefill = {key: request.GET[key] for key in ("action", "merge_into") if key in request.GET}
    form = ReviewForm(
        form_data(request),
        proposal=proposal,
        suggested_number=workflow.suggest_number(proposal.session),
        initial=prefill,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        action = data["action"]
        try:
            if action == ReviewForm.Action.REGISTER:
                workflow.register(
                    proposal,
                    number=data["number"],
                    registered_on=data["registered_on"],
                    note=data["note"],
                    actor=request.user,
                )
                messages.success(request, _("已立案，编号第%(number)s号。") % {"number": data["number"]})
            elif action == ReviewForm.Action.MERGE:
                workflow.merge(proposal, into=data["merge_target"], note=data["note"], actor=request.user)
                messages.success(request, _("已并案。"))
            elif action == ReviewForm.Action.REFER:
                workflow.refer(proposal, to=data["referred_to"], note=data["note"], actor=request.user)
                messages.success(request, _("已转意见，并通知提案者。"))
            elif action == ReviewForm.Action.RETURN:
                workflow.return_for_changes(proposal, remarks=data["note"], actor=request.user)
                messages.success(request, _("已退回修改，并通知提案者。"))
            else:
                workflow.not_register(
                    proposal, reason=data["not_registered_reason"], note=data["note"], actor=request.user
                )
                messages.success(request, _("已决定不予立案，并通知提案者。"))
        except IntegrityError:
            form.add_error(None, Proposal.number_taken(data["number"]))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("office:proposal_detail", pk=proposal.pk)
    return render(request, "office/review.html", {"proposal": proposal, "form": form})
