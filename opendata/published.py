"""What the open data shows: the one definition shared by the API and the feeds.

A reply is open when it is published and disclosed proactively (Response.objects.public()) *and* its
proposal is published: an unpublished proposal never appears, not even nested in a reply.
"""

from proposals.models import Proposal
from responses.models import Commitment, Response


def proposals():
    return Proposal.objects.published()


def replies():
    return Response.objects.public().filter(proposal__is_published=True)


def commitments():
    # The same conditions as replies(), as joins rather than an IN (subquery): the planner does better.
    return Commitment.objects.filter(
        item__response__status=Response.Status.PUBLISHED,
        item__response__disclosure=Response.Disclosure.PUBLIC,
        item__response__proposal__is_published=True,
    )
