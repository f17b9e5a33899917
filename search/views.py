"""The search page, and the public proposal list (its keyword box is the same full-text search)."""

from django.conf import settings
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext as _

from proposals.filters import RowLabels
from tracker.exports import EXPORT_CHUNK, dated_export, export_format
from tracker.pagination import WindowPaginator

from . import api
from .bigrams import Query
from .filters import (
    PROPOSAL_EXPORT_HEADERS,
    ProposalFilter,
    proposal_export_rows,
    public_proposals,
    with_row_labels,
)


def search(request):
    """The search box over published proposals and public replies. Anyone may use it."""
    asked = "q" in request.GET
    query = Query(request.GET.get("q", ""))
    try:
        page = int(request.GET.get("page", "1"))
    except ValueError:
        page = 1
    results = api.search(query, page) if asked and query else None
    return render(
        request,
        "search/results.html",
        {
            "query": query,
            "asked": asked,
            "results": results,
            "result_cap": api.RESULT_CAP,
        },
    )


def proposal_list(request):
    filterset = ProposalFilter(request.GET, queryset=public_proposals())
    proposals = filterset.rows
    if fmt := export_format(request):
        rows = proposal_export_rows(proposals, EXPORT_CHUNK)
        return dated_export(fmt, _("已公开提案"), PROPOSAL_EXPORT_HEADERS, rows)
    paginator = WindowPaginator if filterset.is_narrowed else Paginator
    page = paginator(proposals, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    row_labels = RowLabels()
    for proposal in page:
        with_row_labels(proposal, row_labels)
    return render(
        request,
        "proposals/proposal_list.html",
        {"page": page, "filter": filterset, "query": filterset.query, "sort": filterset.sort},
    )
