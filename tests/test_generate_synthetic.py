"""generate_synthetic: realistic, deterministic synthetic data, in bulk."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from proposals.models import Assignment, Proposal
from responses.models import Commitment, Response, ResponseItem
from search.models import SearchDocument


def generate(**options):
    out = StringIO()
    call_command("generate_synthetic", stdout=out, verbosity=0, **options)
    return out.getvalue()


@pytest.mark.django_db
def test_fifty_proposals_with_replies_items_commitments_and_an_index():
    output = generate(proposals=50, seed=7, batch=20)

    assert Proposal.objects.count() == 50
    assert "提案 50" in output
    assert SearchDocument.objects.count() == 50
    assert Response.objects.exists() and ResponseItem.objects.exists() and Commitment.objects.exists()
    # Every reply comes from the lead department of an assigned proposal.
    for reply in Response.objects.all():
        assert Assignment.objects.filter(
            proposal=reply.proposal, department=reply.department, role="lead"
        ).exists()
    assert Proposal.objects.values("status").distinct().count() >= 3
    assert 0.5 < Proposal.objects.published().count() / 50 <= 1
    # Titles read like proposals, and every commitment quotes its item word for word.
    assert all(
        p.title.startswith("关于") and p.title.endswith(("建议", "提案")) for p in Proposal.objects.all()
    )
    for commitment in Commitment.objects.select_related("item"):
        assert commitment.text in commitment.item.paragraphs
    # Constraints the models check in clean() hold for the generated rows.
    for proposal in Proposal.objects.all()[:20]:
        proposal.full_clean()


@pytest.mark.django_db
def test_the_same_seed_gives_the_same_titles_and_another_seed_others():
    generate(proposals=30, seed=11, batch=7, no_index=True)
    first = list(Proposal.objects.order_by("pk").values_list("title", "status", "body"))
    generate(proposals=30, seed=11, batch=7, no_index=True)
    second = list(Proposal.objects.order_by("pk").values_list("title", "status", "body")[30:])
    generate(proposals=30, seed=12, batch=7, no_index=True)
    third = list(Proposal.objects.order_by("pk").values_list("title", "status", "body")[60:])

    assert first == second
    assert [title for title, _, _ in first] != [title for title, _, _ in third]


@pytest.mark.django_db
def test_the_generated_proposals_are_searchable(client):
    generate(proposals=50, seed=7)

    response = client.get("/search/", {"q": "广西"})

    assert response.status_code == 200
    assert response.context["results"].total > 0


@pytest.mark.django_db
def test_it_refuses_a_non_positive_count():
    with pytest.raises(CommandError):
        generate(proposals=0, seed=1)
