"""The office's proposal list (the dashboard and the overdue board are responses/views/office.py)."""

from django.conf import settings
from django.core.paginator import Paginator
from django.shortcuts import render

from ...access import office_required
from ...models import Proposal


@office_required
def proposal_list(request):
    status = request.GET.get("status", "")
    status = status if status in Proposal.Status.values else ""
    key = request.GET.get("key") == "1"
    query = request.GET.get("q", "").strip()[:100]
    proposals = (
        Proposal.objects.filed()
        .select_related("session__committee")
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
        # Rows the batch pages can take: awaiting registration or awaiting assignment.
        "batch_statuses": [Proposal.Status.SUBMITTED, Proposal.Status.REGISTERED],
    }
    return render(request, "office/proposal_list.html", context)
