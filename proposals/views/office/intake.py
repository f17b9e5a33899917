"""Logging and importing proposals, and reviewing them (立案, 并案, 不予立案)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

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
from ...importing import NameStatus
from ...models import IntakeBatch, Proposal, Proposer
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
    """Step 1: upload. A readable file is checked and kept as an IntakeBatch for the preview."""
    form = ImportForm(form_data(request), form_files(request))
    result = None
    if request.method == "POST" and form.is_valid():
        batch, result = importing.start_batch(
            form.cleaned_data["file"], form.cleaned_data["committee"], request.user
        )
        if batch is not None:
            return redirect("office:intake_preview", pk=batch.pk)
    return render(request, "office/import.html", {"form": form, "result": result})


ATTENTION = "attention"  # ?show=attention: only the rows that are not plainly created


def _preview(request, batch, decisions=None, errors=(), status=200):
    """Step 2: the checked rows, what each will do, and the choices the clerk must make."""
    decisions = decisions or importing.Decisions()
    rows = importing.batch_rows(batch)
    counts = dict.fromkeys(["create", "duplicate", "check", "error"], 0)
    for row in rows:
        counts[row.outcome] += 1
        row.included = row.line in decisions.include
        for index, entry in enumerate(row.names):
            entry.chosen = str(decisions.people.get((row.line, index), ""))
    attention_only = request.GET.get("show") == ATTENTION
    context = {
        "batch": batch,
        "rows": [row for row in rows if row.outcome != "create"] if attention_only else rows,
        "attention_only": attention_only,
        "counts": counts,
        "new_people": len(
            {(e.name, e.kind) for r in rows if not r.errors for e in r.names if e.status == NameStatus.NEW}
        ),
        "earlier": IntakeBatch.objects.earlier_imports_of(batch).first(),
        "errors": errors,
        "reupload_accepted": bool(request.POST.get("reupload")),
    }
    return render(request, "office/intake_preview.html", context, status=status)


def _get_batch(pk):
    return get_object_or_404(IntakeBatch.objects.select_related("committee", "created_by"), pk=pk)


@office_required
def intake_preview(request, pk):
    return _preview(request, _get_batch(pk))


@office_required
@require_POST
def intake_confirm(request, pk):
    """Step 3: check again against the database and create every row, or none."""
    batch = _get_batch(pk)
    decisions = importing.Decisions.from_post(request.POST)
    outcome = importing.confirm_batch(
        batch, decisions, request.user, reupload_accepted=bool(request.POST.get("reupload"))
    )
    if not outcome.ok:
        batch.refresh_from_db()
        return _preview(request, batch, decisions, outcome.errors, status=409 if outcome.changed else 200)
    message = _("已导入%(count)s件提案，待审查。") % {"count": len(outcome.created)}
    if outcome.skipped:
        message += _("未导入重复的第%(lines)s行。") % {"lines": "、".join(map(str, outcome.skipped))}
    messages.success(request, message)
    return redirect(f"{reverse('office:proposal_list')}?status={Proposal.Status.SUBMITTED}")


@office_required
@require_POST
def intake_cancel(request, pk):
    batch = _get_batch(pk)
    if importing.cancel_batch(batch):
        messages.success(request, _("已取消导入“%(name)s”，没有新建任何提案。") % {"name": batch.file_name})
    else:
        messages.error(request, _("这批文件已处理（%(status)s）。") % {"status": batch.get_status_display()})
    return redirect("office:proposal_import")


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
