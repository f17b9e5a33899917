"""Office-only panels that the office pages load from here: similar proposals (with likely
duplicates and their 并案 link) and assignment suggestions.

A template tag keeps the layering: the proposals app's views and templates name no search code in
Python, the office templates `{% load similar %}`, and the panels render in the page itself (no
second request, query counts pinned with the page's). Each tag checks the user itself, so a
template that included it by mistake on a public page would still show nothing.
"""

from django import template

from proposals.access import is_office

from ..similarity import similar_to
from ..suggestions import suggest_for

register = template.Library()


def _office(context):
    request = context.get("request")
    return request is not None and is_office(request.user)


@register.inclusion_tag("search/_similar_proposals.html", takes_context=True)
def similar_proposals(context, proposal):
    if not _office(context):
        return {"shown": False}
    return {"shown": True, "proposal": proposal, "matches": similar_to(proposal)}


@register.inclusion_tag("search/_assignment_suggestions.html", takes_context=True)
def assignment_suggestions(context, proposal):
    if not _office(context):
        return {"shown": False}
    return {"shown": True, "proposal": proposal, "suggestions": suggest_for(proposal)}
