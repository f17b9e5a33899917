"""Public pages: the proposal list and page, departments with their figures. Published data only."""

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import F, Prefetch
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _

from responses.filters import citations_by, commitments_of, tracker_commitments
from responses.models import Response
from tracker.exports import FORMATS, tabular_response

from ..filters import (
    ASSIGNMENT_EXPORT_HEADERS,
    DEPARTMENT_EXPORT_HEADERS,
    PROPOSAL_EXPORT_HEADERS,
    DepartmentAssignmentFilter,
    ProposalFilter,
    RowLabels,
    assignment_export_rows,
    assignment_state,
    decorate,
    department_assignments,
    department_export_row,
    department_figures,
    proposal_export_rows,
    public_proposals,
    with_figures,
)
from ..models import Department, Event, Proposal

# Exports walk the rows in chunks: each chunk costs its query plus one per prefetch.
EXPORT_CHUNK = 2000
# The department page shows its nearest open commitments and links to the tracker for the rest.
OPEN_COMMITMENTS_SHOWN = 10


def export_format(request):
    fmt = request.GET.get("format", "")
    return fmt if fmt in FORMATS else None


def export(fmt, basename, headers, rows):
    stamp = timezone.localdate().isoformat()
    return tabular_response(fmt, f"{basename}-{stamp}", [str(header) for header in headers], rows)


def home(request):
    return render(request, "home.html")


def proposal_list(request):
    filterset = ProposalFilter(request.GET, queryset=public_proposals())
    proposals = filterset.rows
    if fmt := export_format(request):
        rows = proposal_export_rows(proposals, EXPORT_CHUNK)
        return export(fmt, _("已公开提案"), PROPOSAL_EXPORT_HEADERS, rows)
    page = Paginator(proposals, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    row_labels = RowLabels()
    for proposal in page:
        decorate(proposal, row_labels)
    return render(
        request,
        "proposals/proposal_list.html",
        {"page": page, "filter": filterset, "query": filterset.query, "sort": filterset.sort},
    )


def proposal_detail(request, pk):
    public_replies = Response.objects.public().select_related("department").order_by("department", "version")
    events = Event.objects.public().select_related("department").order_by("created_at", "pk")
    proposal = get_object_or_404(
        Proposal.objects.for_public_page().prefetch_related(
            Prefetch("responses", queryset=public_replies, to_attr="public_replies"),
            Prefetch("events", queryset=events, to_attr="public_events"),
        ),
        pk=pk,
    )
    return render(
        request,
        "proposals/proposal_detail.html",
        {
            "proposal": proposal,
            "commitments": commitments_of(proposal),
            "citations": citations_by(proposal),
            "events": proposal.public_events,
        },
    )


def _handling_departments():
    return Department.objects.exclude(kind=Department.Kind.OFFICE)


def department_list(request):
    figures = department_figures()
    departments = [with_figures(department, figures) for department in _handling_departments()]
    if fmt := export_format(request):
        rows = (department_export_row(department) for department in departments)
        return export(fmt, _("承办单位办理情况"), DEPARTMENT_EXPORT_HEADERS, rows)
    return render(request, "departments/department_list.html", {"departments": departments})


def department_detail(request, pk):
    department = get_object_or_404(_handling_departments(), pk=pk)
    with_figures(department, department_figures(department))
    filterset = DepartmentAssignmentFilter(request.GET, queryset=department_assignments(department))
    assignments = filterset.rows
    if fmt := export_format(request):
        rows = assignment_export_rows(assignments, EXPORT_CHUNK)
        return export(
            fmt,
            _("%(department)s承办提案") % {"department": department.name},
            ASSIGNMENT_EXPORT_HEADERS,
            rows,
        )
    page = Paginator(assignments, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    for assignment in page:
        assignment.state = assignment_state(assignment, today)
    open_commitments = (
        tracker_commitments().open().filter(owner=department).order_by(F("due_on").asc(nulls_last=True), "pk")
    )
    return render(
        request,
        "departments/department_detail.html",
        {
            "department": department,
            "page": page,
            "filter": filterset,
            "sort": filterset.sort,
            "open_commitments": open_commitments[:OPEN_COMMITMENTS_SHOWN],
            "today": today,
        },
    )
