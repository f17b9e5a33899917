"""The office workspace (政协办公厅): queues, logging and importing proposals, review, assignment,
objections, deadlines, chasing, publication. Access comes from proposals/access.py only; the steps
themselves live in proposals/workflow.py."""

import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import IntegrityError
from django.db.models import Case, Count, Prefetch, Q, When
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from responses.models import CoHandlingOpinion, Response

from .. import importing, workflow
from ..access import get_assignment_for_office, get_proposal_for_office, office_required
from ..deadlines import CalendarNotCovered
from ..forms import (
    AssignForm,
    ChaseForm,
    ExtendForm,
    ImportForm,
    ObjectionForm,
    ProposalForm,
    ProposerFormSet,
    PublicationForm,
    ReviewForm,
    proposer_label,
)
from ..models import (
    Assignment,
    Chase,
    DeadlineExtension,
    Department,
    Event,
    Proposal,
    ProposalAttachment,
    ProposalProposer,
    Proposer,
    Session,
)

QUEUE_LENGTH = 10
DEFAULT_WITHIN = 7
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _proposer_links():
    return Prefetch(
        "proposer_links", queryset=ProposalProposer.objects.select_related("proposer").order_by("position")
    )


def _within(request):
    try:
        within = int(request.GET.get("within", DEFAULT_WITHIN))
    except ValueError:
        return DEFAULT_WITHIN
    return min(max(within, 0), 366)


def _back_to(request, fallback):
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return redirect(target)
    return redirect(fallback)


def _data(request):
    """The POST data, even when empty (an empty POST still binds the form: all boxes unticked)."""
    return request.POST if request.method == "POST" else None


def _files(request):
    return request.FILES if request.method == "POST" else None


def _refused(request, exc):
    messages.error(request, " ".join(exc.messages))


# Queues ---------------------------------------------------------------------------------------


@office_required
def dashboard(request):
    today = timezone.localdate()
    counts = Proposal.objects.aggregate(
        submitted=Count("pk", filter=Q(status=Proposal.Status.SUBMITTED)),
        registered=Count("pk", filter=Q(status=Proposal.Status.REGISTERED)),
        key=Count("pk", filter=Q(is_key=True)),
    )
    board = workflow.open_assignments(today, DEFAULT_WITHIN).aggregate(
        overdue=Count("pk", filter=Q(due_on__lt=today)), due_soon=Count("pk", filter=Q(due_on__gte=today))
    )
    queue = Proposal.objects.select_related("session__committee").prefetch_related(_proposer_links())
    returned = Assignment.objects.filter(returned_on__isnull=False, objection_decision="")
    context = {
        "counts": counts,
        "board": board,
        "within": DEFAULT_WITHIN,
        "submitted": queue.filter(status=Proposal.Status.SUBMITTED).order_by("submitted_on", "pk")[
            :QUEUE_LENGTH
        ],
        "registered": queue.filter(status=Proposal.Status.REGISTERED).order_by("registered_on", "pk")[
            :QUEUE_LENGTH
        ],
        "returned_count": returned.count(),
        "returned": returned.select_related("proposal", "department").order_by("returned_on", "pk")[
            :QUEUE_LENGTH
        ],
        "key_proposals": Proposal.objects.filter(is_key=True)
        .select_related("session__committee")
        .order_by("-session__year", "number")[:QUEUE_LENGTH],
    }
    return render(request, "office/dashboard.html", context)


@office_required
def proposal_list(request):
    status = request.GET.get("status", "")
    status = status if status in Proposal.Status.values else ""
    key = request.GET.get("key") == "1"
    query = request.GET.get("q", "").strip()[:100]
    proposals = (
        Proposal.objects.select_related("session__committee")
        .prefetch_related(_proposer_links())
        .search(query)
        .order_by("-session__year", "-created_at", "-pk")
    )
    if status:
        proposals = proposals.filter(status=status)
    if key:
        proposals = proposals.filter(is_key=True)
    page = Paginator(proposals, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "query": query,
        "status": status,
        "key": key,
        "statuses": Proposal.Status.choices,
    }
    return render(request, "office/proposal_list.html", context)


@office_required
def overdue(request):
    today = timezone.localdate()
    within = _within(request)
    rows = list(workflow.due_board(today, within))
    for row in rows:
        row.days_overdue = (today - row.due_on).days
        row.days_left = -row.days_overdue
    return render(
        request,
        "office/overdue.html",
        {"rows": rows, "within": within, "today": today, "chase_form": ChaseForm()},
    )


# Logging and importing ------------------------------------------------------------------------


@office_required
def proposal_new(request):
    proposers = list(Proposer.objects.order_by("name", "pk"))
    data = _data(request)
    form = ProposalForm(data, _files(request))
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


@office_required
def proposal_import(request):
    form = ImportForm(_data(request), _files(request))
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
        # The lead first, then co-handling, then separate handling, each in its listed order.
        .order_by(
            Case(
                When(role=Assignment.Role.LEAD, then=0),
                When(role=Assignment.Role.CO_HANDLING, then=1),
                default=2,
            ),
            "position",
            "pk",
        )
    )
    replies = (
        Response.objects.select_related("department")
        .prefetch_related("feedback__proposer")
        .order_by("department__name", "version")
    )
    return Proposal.objects.select_related(
        "session__committee", "merged_into", "created_by"
    ).prefetch_related(
        _proposer_links(),
        "attachments",
        "merged_proposals",
        Prefetch("assignments", queryset=assignments),
        Prefetch("responses", queryset=replies),
        Prefetch(
            "events",
            queryset=Event.objects.select_related("actor", "department").order_by("created_at", "pk"),
        ),
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
            "Decision": Assignment.ObjectionDecision,
            "ResponseStatus": Response.Status,
        },
    )


@login_required
def attachment(request, pk):
    item = get_object_or_404(ProposalAttachment, pk=pk)
    get_proposal_for_office(request, item.proposal_id)
    return FileResponse(item.file.open("rb"), as_attachment=True, filename=item.name or item.file.name)


# Review ---------------------------------------------------------------------------------------


@login_required
def review(request, pk):
    proposal = get_proposal_for_office(request, pk, Proposal.objects.select_related("session__committee"))
    if proposal.status != Proposal.Status.SUBMITTED:
        messages.error(request, _("只有已提交、待审查的提案可以审查。"))
        return redirect("office:proposal_detail", pk=proposal.pk)
    form = ReviewForm(
        _data(request), proposal=proposal, suggested_number=workflow.suggest_number(proposal.session)
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
            else:
                workflow.not_register(
                    proposal, reason=data["not_registered_reason"], note=data["note"], actor=request.user
                )
                messages.success(request, _("已决定不予立案，并通知提案者。"))
        except IntegrityError:
            form.add_error("number", _("本次会议已有第%(number)s号提案。") % {"number": data["number"]})
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("office:proposal_detail", pk=proposal.pk)
    return render(request, "office/review.html", {"proposal": proposal, "form": form})


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
    data = _data(request)
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
    if not workflow.awaiting_decision(assignment):
        messages.error(request, _("该交办未被退回或异议已处理。"))
        return redirect("office:proposal_detail", pk=proposal.pk)
    form = ObjectionForm(
        _data(request), assignment=assignment, departments=_departments(proposal.session.committee)
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
    if assignment.returned_on and assignment.objection_decision != Assignment.ObjectionDecision.KEPT:
        messages.error(request, _("该单位已退回交办，不能延期。"))
        return redirect("office:proposal_detail", pk=proposal.pk)
    form = ExtendForm(_data(request), assignment=assignment)
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


# Publication and key proposals ----------------------------------------------------------------


@login_required
def publication(request, pk):
    proposal = get_proposal_for_office(request, pk, Proposal.objects.select_related("session__committee"))
    replies = list(
        Response.objects.filter(proposal=proposal)
        .select_related("department")
        .order_by("department__name", "version")
    )
    issued = [reply for reply in replies if reply.status == Response.Status.ISSUED]
    form = PublicationForm(_data(request), proposal=proposal, issued_replies=issued)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            workflow.update_publication(
                proposal,
                is_published=data["is_published"],
                is_key=data["is_key"],
                supervising_leader=data["supervising_leader"],
                replies_to_publish=data["publish_replies"],
                actor=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("公开与重点提案设置已保存。"))
            return redirect("office:proposal_detail", pk=proposal.pk)
    return render(
        request,
        "office/publication.html",
        {
            "proposal": proposal,
            "form": form,
            "replies": replies,
            "ResponseStatus": Response.Status,
            "Disclosure": Response.Disclosure,
        },
    )
