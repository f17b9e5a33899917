"""逐条答复: a proposal's numbered suggestions (proposals.Suggestion) with the reply items that answer
them (ResponseItem.answers). The pages ask for the answers only from the replies their reader may
see: the public page from Response.objects.public(), the proposer's page from the current issued
replies."""

from django.db.models import Prefetch

from proposals.models import Suggestion

from .models import ResponseItem


def suggestions_with_answers(replies):
    """A Prefetch of a proposal's suggestions (`numbered_suggestions`, by position), each with
    `answering_items`: the items of `replies` (a Response queryset) that answer it, with their reply,
    department and parent item. Two queries whatever the number of suggestions and items."""
    items = (
        ResponseItem.objects.filter(response__in=replies.values("pk"))
        .select_related("response__department", "parent")
        .order_by("response__department__name", "response__version", "parent__position", "position")
    )
    return Prefetch(
        "suggestions",
        queryset=Suggestion.objects.order_by("position").prefetch_related(
            Prefetch("answered_by", queryset=items, to_attr="answering_items")
        ),
        to_attr="numbered_suggestions",
    )
