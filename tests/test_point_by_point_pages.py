"""逐条答复 on the pages that show a proposal: each numbered suggestion with the reply items that
answer it — on the public page only from public replies, on the proposer's page from the current
issued replies — in a number of queries that does not grow with suggestions or items."""

import pytest
from django.urls import reverse
from factories import make_department, make_item, make_proposal, make_proposer, make_response

from proposals.models import Proposal, Proposer, Suggestion
from responses.models import Response

pytestmark = pytest.mark.django_db


def answered_proposal(suggestions=3, *, status=Response.Status.PUBLISHED, proposer=None):
    proposal = make_proposal(proposers=[proposer or make_proposer()], status=Proposal.Status.REPLIED)
    reply = make_response(proposal, make_department(), status=status)
    rows = [
        Suggestion.objects.create(proposal=proposal, position=n, text=f"第{n}条建议的内容")
        for n in range(1, suggestions + 1)
    ]
    for n, suggestion in enumerate(rows, 1):
        if n == suggestions and suggestions > 1:
            continue  # the last suggestion stays unanswered
        item = make_item(reply, n, heading=f"关于第{n}条建议的答复")
        item.answers.add(suggestion)
    return proposal, reply


def test_the_public_page_shows_each_suggestion_with_the_items_answering_it(client):
    proposal, reply = answered_proposal()
    page = client.get(proposal.get_absolute_url()).content.decode()
    assert "具体建议与逐条答复" in page
    assert "第1条建议的内容" in page and "关于第1条建议的答复" in page
    anchor = f"{reverse('responses:letter', args=[reply.pk])}#item-"
    assert anchor in page
    # The last suggestion has no answer yet.
    assert page.count("公开的答复中尚无针对此条建议的条目。") == 1


@pytest.mark.parametrize("status", [Response.Status.DRAFT, Response.Status.ISSUED])
def test_the_public_page_takes_answers_from_public_replies_only(client, status):
    proposal, _reply = answered_proposal(status=status)
    page = client.get(proposal.get_absolute_url()).content.decode()
    assert "第1条建议的内容" in page
    assert "关于第1条建议的答复" not in page
    assert page.count("公开的答复中尚无针对此条建议的条目。") == 3


def test_the_seed_page_is_unchanged(client, seed_letter):
    page = client.get(seed_letter.proposal.get_absolute_url()).content.decode()
    assert "具体建议与逐条答复" not in page


@pytest.mark.parametrize("suggestions", [2, 15])
def test_the_public_page_costs_the_same_whatever_the_number_of_suggestions(
    client, django_assert_num_queries, suggestions
):
    proposal, _reply = answered_proposal(suggestions)
    # proposal with session, committee, merged-into; proposers; assignments; public replies; public
    # events; commitments; cited commitments; the suggestions; the items answering them
    with django_assert_num_queries(9):
        page = client.get(proposal.get_absolute_url()).content.decode()
    assert f"第{suggestions - 1}条建议的内容" in page


def test_the_proposer_sees_answers_of_an_issued_unpublished_reply(client_for, personas):
    jiang = Proposer.objects.get(name="蒋俏玲")
    proposal, reply = answered_proposal(status=Response.Status.ISSUED, proposer=jiang)
    page = client_for("proposer").get(reverse("delegate:proposal", args=[proposal.pk])).content.decode()
    assert "关于第1条建议的答复" in page
    assert f"{reverse('delegate:reply', args=[reply.pk])}#item-" in page
    assert page.count("答复中尚无针对此条建议的条目。") == 1


def test_the_proposer_does_not_see_a_draft_answer(client_for, personas):
    jiang = Proposer.objects.get(name="蒋俏玲")
    proposal, _reply = answered_proposal(status=Response.Status.DRAFT, proposer=jiang)
    page = client_for("proposer").get(reverse("delegate:proposal", args=[proposal.pk])).content.decode()
    assert "第1条建议的内容" in page and "关于第1条建议的答复" not in page


@pytest.mark.parametrize("suggestions", [2, 15])
def test_the_proposer_page_costs_the_same_whatever_the_number_of_suggestions(
    client_for, personas, django_assert_num_queries, suggestions
):
    jiang = Proposer.objects.get(name="蒋俏玲")
    proposal, _reply = answered_proposal(suggestions, status=Response.Status.ISSUED, proposer=jiang)
    client = client_for("proposer")
    # session, user, profile, proposer; the proposal with its proposers, assignments, issued replies
    # (items, commitments, progress, feedback); the events; the suggestions; the items answering them
    with django_assert_num_queries(13):
        page = client.get(reverse("delegate:proposal", args=[proposal.pk])).content.decode()
    assert f"关于第{suggestions - 1}条建议的答复" in page
