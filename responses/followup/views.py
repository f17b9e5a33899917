"""回头看 pages: the office opens, follows, chases and closes rounds and downloads their reports; a
department answers its tasks. Access: office pages are office-only (others 403); a task belongs to
its department (other departments 404, the office may read it on the round page but not answer: 403).
"""

from django.contrib import messages
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from proposals.access import department_of, department_required, office_required

from ..drafting import Refused
from . import report, rounds
from .forms import AnswerFormSet, ChaseTaskForm, RoundForm
from .models import FollowUpAnswer, FollowUpRound, FollowUpTask

# --- The office -------------------------------------------------------------------------------------


@office_required
def round_list(request):
    rounds_ = FollowUpRound.objects.select_related("session__committee").annotate(
        units=Count("tasks", distinct=True),
        answered=Count("tasks", filter=Q(tasks__answered_at__isnull=False), distinct=True),
    )
    return render(request, "followup/round_list.html", {"rounds": rounds_, "today": timezone.localdate()})


@office_required
@require_http_methods(["GET", "POST"])
def round_new(request):
    form = RoundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            round_ = rounds.open_round(actor=request.user, **form.cleaned_data)
        except Refused as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(
                request, _("回头看已启动，已通知%(count)s个责任单位。") % {"count": round_.tasks.count()}
            )
            return redirect("followup:round", pk=round_.pk)
    return render(request, "followup/round_form.html", {"form": form})


@office_required
def round_detail(request, pk):
    round_ = get_object_or_404(FollowUpRound.objects.select_related("session__committee", "opened_by"), pk=pk)
    today = timezone.localdate()
    reports = report.unit_reports(round_)
    for unit in reports:
        unit.overdue = unit.task.is_overdue(today) if round_.is_open else False
    return render(
        request,
        "followup/round_detail.html",
        {"round": round_, "reports": reports, "today": today, "chase_form": ChaseTaskForm()},
    )


@office_required
@require_POST
def round_close(request, pk):
    round_ = get_object_or_404(FollowUpRound, pk=pk)
    try:
        rounds.close_round(round_, actor=request.user)
    except Refused as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("本轮回头看已结束，可下载报告。"))
    return redirect("followup:round", pk=pk)


@office_required
@require_POST
def task_chase(request, pk):
    task = get_object_or_404(FollowUpTask.objects.select_related("round", "department"), pk=pk)
    form = ChaseTaskForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        rounds.chase_task(task, note=note, actor=request.user)
    except Refused as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已催办%(department)s。") % {"department": task.department.name})
    # Chased from the overdue board or from the round's page: back to where the office was.
    if request.POST.get("next") == "board":
        return redirect("office:overdue")
    return redirect("followup:round", pk=task.round_id)


@office_required
def round_report(request, pk, fmt):
    round_ = get_object_or_404(FollowUpRound.objects.select_related("session__committee"), pk=pk)
    return report.xlsx_report(round_) if fmt == "xlsx" else report.docx_report(round_)


# --- Departments ------------------------------------------------------------------------------------


@department_required
def task_list(request):
    department = department_of(request.user)
    tasks = (
        FollowUpTask.objects.filter(department=department)
        .select_related("round__session__committee")
        .annotate(commitments=Count("answers"))
        .order_by("answered_at", "-round__opened_at")
    )
    return render(
        request,
        "followup/task_list.html",
        {"department": department, "tasks": tasks, "today": timezone.localdate()},
    )


@department_required
@require_http_methods(["GET", "POST"])
def task_answer(request, pk):
    """A unit's task; another unit's is a 404 (the office follows tasks on the round's page)."""
    task = get_object_or_404(
        FollowUpTask.objects.select_related("round__session__committee", "department"),
        pk=pk,
        department=department_of(request.user),
    )
    answers = (
        FollowUpAnswer.objects.filter(task=task)
        .select_related("commitment__item__response__proposal", "commitment__item__parent")
        .order_by(
            "commitment__item__response__proposal__number", "commitment__item_id", "commitment__position"
        )
    )
    can_answer = task.round.is_open and not task.is_answered
    formset = AnswerFormSet(
        request.POST if request.method == "POST" and can_answer else None, queryset=answers
    )
    if request.method == "POST" and can_answer and formset.is_valid():
        given = {
            form.instance: (
                form.cleaned_data["outcome"],
                form.cleaned_data["new_due_on"],
                form.cleaned_data["explanation"],
            )
            for form in formset.forms
        }
        try:
            rounds.answer_task(task, given, actor=request.user)
        except Refused as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("回头看报告已提交，承诺事项的状态已更新。"))
            return redirect("followup:task", pk=task.pk)
    return render(
        request,
        "followup/task_answer.html",
        {"task": task, "formset": formset, "can_answer": can_answer, "today": timezone.localdate()},
    )
