"""API: /api/proposals/ — published proposals only, proposers' names only, filters, pagination."""

import datetime

import pytest
from django.urls import reverse
from factories import (
    make_assignment,
    make_committee,
    make_department,
    make_proposal,
    make_proposer,
    make_response,
    make_session,
)

from proposals.models import Assignment, Proposal
from responses.models import Response

pytestmark = pytest.mark.django_db

LIST = reverse("opendata:proposal-list")
SECRET_CONTACTS = ["13800138000", "wang@example.org", "青秀区民族大道1号"]


def detail(pk):
    return reverse("opendata:proposal-detail", args=[pk])


def build_world():
    """Published and unpublished proposals with every kind of reply that must stay hidden."""
    committee = make_committee()
    s2023 = make_session(committee, year=2023, term=12, number=1)
    s2024 = make_session(committee, year=2024, term=12, number=2)
    lead, co, other = make_department("科技厅"), make_department("财政厅"), make_department("教育厅")
    wang = make_proposer(
        "王委员", phone=SECRET_CONTACTS[0], email=SECRET_CONTACTS[1], address=SECRET_CONTACTS[2]
    )
    li = make_proposer("李委员", affiliation="某大学")

    hydrogen = make_proposal(
        s2024, proposers=[wang, li], title="关于发展氢能产业的建议", body="建议加快氢能示范。", is_key=True
    )
    make_assignment(hydrogen, lead, Assignment.Role.LEAD, due_on=datetime.date(2024, 6, 30))
    make_assignment(hydrogen, co, Assignment.Role.CO_HANDLING)
    make_assignment(
        hydrogen,
        other,
        Assignment.Role.CO_HANDLING,
        position=2,
        returned_on=datetime.date(2024, 3, 1),
        return_reason="不属本单位职责",
    )
    public = make_response(hydrogen, lead, published_on=datetime.date(2024, 7, 1))
    hidden_replies = [
        make_response(hydrogen, co, status=Response.Status.DRAFT),
        make_response(hydrogen, other, status=Response.Status.ISSUED),
        # a later version replaces the one before it (Response.objects.current()): the lead's letter
        # stays public, the other unit's current letter is disclosed on request only
        make_response(hydrogen, other, version=2, disclosure=Response.Disclosure.ON_REQUEST),
    ]
    roads = make_proposal(
        s2023, proposers=[li], title="关于加快乡村道路建设的建议", kind=Proposal.Kind.SUGGESTION
    )
    make_assignment(roads, other, Assignment.Role.LEAD)
    secret = make_proposal(s2024, proposers=[wang], title="尚未公开的提案", is_published=False)
    make_assignment(secret, lead, Assignment.Role.LEAD)
    secret_reply = make_response(secret, lead)  # published reply, unpublished proposal: still hidden
    merged = make_proposal(
        s2024, title="并入未公开提案的提案", status=Proposal.Status.MERGED, merged_into=secret, number=""
    )
    return {
        "s2023": s2023,
        "s2024": s2024,
        "lead": lead,
        "co": co,
        "other": other,
        "hydrogen": hydrogen,
        "roads": roads,
        "secret": secret,
        "merged": merged,
        "public_reply": public,
        "hidden_replies": [*hidden_replies, secret_reply],
    }


@pytest.fixture
def world(db):
    return build_world()


def ids(response):
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


class TestList:
    def test_it_lists_published_proposals_only(self, client, world):
        assert ids(client.get(LIST)) == {world["hydrogen"].pk, world["roads"].pk, world["merged"].pk}

    def test_rows_carry_session_proposers_and_departments_lead_first(self, client, world):
        row = next(r for r in client.get(LIST).json()["results"] if r["id"] == world["hydrogen"].pk)
        assert row["title"] == "关于发展氢能产业的建议"
        assert row["session"]["name"] == "市政协十二届二次会议" and row["session"]["year"] == 2024
        assert [p["name"] for p in row["proposers"]] == ["王委员", "李委员"]
        assert [(a["department"]["name"], a["role"]) for a in row["assignments"]] == [
            ("科技厅", "lead"),
            ("财政厅", "co"),
        ]
        assert row["html_url"] == f"http://testserver{world['hydrogen'].get_absolute_url()}"

    def test_no_contact_details_anywhere(self, client, world):
        for url in (LIST, detail(world["hydrogen"].pk)):
            body = client.get(url).content.decode()
            for secret in [*SECRET_CONTACTS, "某大学", "phone", "email", "address"]:
                assert secret not in body

    @pytest.mark.parametrize(
        "query, expected",
        [
            ({"year": 2023}, ["roads"]),
            ({"kind": "suggestion"}, ["roads"]),
            ({"key": "true"}, ["hydrogen"]),
            ({"status": "merged"}, ["merged"]),
            ({"q": "氢能"}, ["hydrogen"]),
            ({"q": "示范"}, ["hydrogen"]),  # the body
        ],
    )
    def test_filters(self, client, world, query, expected):
        assert ids(client.get(LIST, query)) == {world[name].pk for name in expected}

    def test_session_and_department_filters(self, client, world):
        assert ids(client.get(LIST, {"session": world["s2023"].pk})) == {world["roads"].pk}
        assert ids(client.get(LIST, {"department": world["co"].pk})) == {world["hydrogen"].pk}
        # 教育厅 returned the hydrogen proposal: only its own lead assignment counts
        assert ids(client.get(LIST, {"department": world["other"].pk})) == {world["roads"].pk}

    @pytest.mark.parametrize(
        "query", [{"session": "x"}, {"kind": "memo"}, {"status": "lost"}, {"q": "长" * 101}]
    )
    def test_bad_filter_values_get_a_400_naming_the_parameter(self, client, world, query):
        response = client.get(LIST, query)
        assert response.status_code == 400
        assert set(response.json()) == set(query)

    def test_it_is_paginated(self, client, world):
        first = client.get(LIST, {"page_size": 2}).json()
        assert first["count"] == 3 and len(first["results"]) == 2
        assert "page=2" in first["next"]
        second = client.get(first["next"]).json()
        assert len(second["results"]) == 1 and second["next"] is None
        assert {r["id"] for r in first["results"] + second["results"]} == ids(client.get(LIST))
        assert client.get(LIST, {"page": 9}).status_code == 404

    @pytest.mark.parametrize("rows", [1, 20])
    def test_query_count_is_constant(self, client, django_assert_num_queries, rows):
        lead = make_department()
        for _ in range(rows):
            proposal = make_proposal(proposers=[make_proposer("甲"), make_proposer("乙")])
            make_assignment(proposal, lead, Assignment.Role.LEAD)
            make_assignment(proposal, role=Assignment.Role.CO_HANDLING)
        # count; page with sessions and committees; proposers; assignments with departments
        with django_assert_num_queries(4):
            response = client.get(LIST)
        assert len(response.json()["results"]) == rows


class TestDetail:
    def test_it_shows_body_assignments_and_public_replies_only(self, client, world):
        data = client.get(detail(world["hydrogen"].pk)).json()
        assert data["body"] == "建议加快氢能示范。"
        assert data["is_key"] is True
        assert [r["id"] for r in data["replies"]] == [world["public_reply"].pk]
        assert data["replies"][0]["html_url"].endswith(world["public_reply"].get_absolute_url())
        assert [a["department"]["name"] for a in data["assignments"]] == ["科技厅", "财政厅"]
        assert data["assignments"][0]["due_on"] == "2024-06-30"

    def test_unpublished_proposals_are_not_found(self, client, world):
        assert client.get(detail(world["secret"].pk)).status_code == 404

    def test_a_merge_into_an_unpublished_proposal_is_not_revealed(self, client, world):
        body = client.get(detail(world["merged"].pk)).content.decode()
        assert '"merged_into":null' in body
        assert "尚未公开的提案" not in body

    def test_a_merge_into_a_published_proposal_links_it(self, client, world):
        merged = make_proposal(
            world["s2024"], status=Proposal.Status.MERGED, merged_into=world["hydrogen"], number=""
        )
        data = client.get(detail(merged.pk)).json()
        assert data["merged_into"]["id"] == world["hydrogen"].pk

    @pytest.mark.parametrize("replies", [1, 10])
    def test_query_count_is_constant(self, client, world, django_assert_num_queries, replies):
        proposal = world["hydrogen"]
        for _ in range(replies):
            make_response(proposal, make_department())
        # proposal with session, committee and merged_into; proposers; assignments; open replies
        with django_assert_num_queries(4):
            data = client.get(detail(proposal.pk)).json()
        assert len(data["replies"]) == replies + 1
