"""The public commitments tracker: what replies promised, and whether it was kept."""

from django.conf import settings
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _

from tracker.exports import EXPORT_CHUNK, dated_export, export_format
from tracker.pagination import CappedPaginator

from ..filters import (
    COMMITMENT_EXPORT_HEADERS,
    CommitmentFilter,
    citations_of,
    commitment_export_rows,
    tracker_commitments,
    with_progress,
)
from ..models import Commitment, CommitmentProgress


def commitment_list(request):
    filterset = CommitmentFilter(request.GET, queryset=with_progress(tracker_commitments()))
    commitments = filterset.rows
    if fmt := export_format(request):
        rows = commitment_export_rows(commitments, request.build_absolute_uri, EXPORT_CHUNK)
        return dated_export(fmt, _("承诺事项"), COMMITMENT_EXPORT_HEADERS, rows)
    page = CappedPaginator(commitments, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "commitments/commitment_list.html",
        {"page": page, "filter": filterset, "sort": filterset.sort, "today": timezone.localdate()},
    )


def commitment_detail(request, pk):
    progress = CommitmentProgress.objects.order_by("reported_on", "pk")
    commitment = get_object_or_404(
        Commitment.objects.public()
        .select_related("owner", "item__response__department", "item__response__proposal__session__committee")
        .prefetch_related(Prefetch("progress_updates", queryset=progress, to_attr="timeline")),
        pk=pk,
    )
    return render(
        request,
        "commitments/commitment_detail.html",
        {
            "commitment": commitment,
            "reply": commitment.item.response,
            "proposal": commitment.item.response.proposal,
            "citations": citations_of(commitment),
            "today": timezone.localdate(),
        },
    )
