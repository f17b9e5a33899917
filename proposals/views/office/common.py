"""Helpers the office views share."""

from django.db.models import Prefetch

from ...models import ProposalProposer


def _proposer_links():
    return Prefetch(
        "proposer_links", queryset=ProposalProposer.objects.select_related("proposer").order_by("position")
    )


def _data(request):
    """The POST data, even when empty (an empty POST still binds the form: all boxes unticked)."""
    return request.POST if request.method == "POST" else None


def _files(request):
    return request.FILES if request.method == "POST" else None
