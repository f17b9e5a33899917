from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render

from responses.models import Response

from ..models import Proposal


def home(request):
    return render(request, "home.html")


def proposal_list(request):
    query = request.GET.get("q", "").strip()[:100]
    proposals = Proposal.objects.for_public_list().search(query)
    page = Paginator(proposals, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "proposals/proposal_list.html", {"page": page, "query": query})


def proposal_detail(request, pk):
    public_replies = Response.objects.public().select_related("department").order_by("department", "version")
    proposal = get_object_or_404(
        Proposal.objects.for_public_page().prefetch_related(
            Prefetch("responses", queryset=public_replies, to_attr="public_replies")
        ),
        pk=pk,
    )
    return render(request, "proposals/proposal_detail.html", {"proposal": proposal})
