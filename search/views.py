from django.shortcuts import render

from . import api
from .bigrams import Query


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
