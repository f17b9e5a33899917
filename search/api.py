"""The search entry points other code calls. (Placeholder: plain substring match until the index lands.)"""

from django.db.models import Q


def filter_proposals(queryset, query):
    """Proposals whose number, title or body contains `query`."""
    query = (query or "").strip()
    if not query:
        return queryset
    return queryset.filter(Q(number__contains=query) | Q(title__contains=query) | Q(body__contains=query))
