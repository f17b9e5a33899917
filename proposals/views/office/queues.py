"""The office's queues: the dashboard, the proposal list and the overdue board."""

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import render
from django.utils import timezone

from ... import boards, workflow
from ...access import office_required
from ...forms import ChaseForm
from ...models import Assignment, Proposal

QUEUE_LENGTH = 10
DEFAULT_WITHIN = 7


def _within(request):
    try:
        within = int(request.GET.get("within", DEFAULT_WITHIN))
    except ValueError:
        return DEFAULT_WITHIN
    return min(max(within, 0), 366)


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
    queue = Proposal.objects.select_related("session__committee").with_proposers()
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
        .with_proposers()
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
        {
            "rows": rows,
            "within": within,
            "today": today,
            "chase_form": ChaseForm(),
            "sections": boards.sections(today, within),
        },
    )
