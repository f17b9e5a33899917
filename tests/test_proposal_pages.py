"""Public proposal list and proposal page."""

import datetime

import pytest
from django.urls import reverse
from factories import make_assignment, make_department, make_proposal, make_proposer, make_response

from proposals.models import Assignment, Proposal

pytestmark = pytest.mark.django_db


def test_home_explains_and_links_to_the_list(client):
    page = client.get("/").content.decode()
    assert "提案办理追踪" in page
    assert f'href="{reverse("proposals:list")}"' in page


class TestList:
    def test_it_lists_published_proposals_with_links(self, client, seed_letter):
        hidden = make_proposal(title="尚未公开的提案", is_published=False)
        page = client.get(reverse("proposals:list")).content.decode()
        assert "关于培养发展战略性新兴产业，推动广西工业高质量发展的建议" in page
        assert f'href="{seed_letter.proposal.get_absolute_url()}"' in page
        assert hidden.title not in page
        assert "自治区科技厅" in page and "蒋俏玲" in page

    @pytest.mark.parametrize("query", ["20200287", "0287", "新兴产业", "  新兴产业  "])
    def test_query_matches_number_or_title(self, client, seed_letter, query):
        other = make_proposal(title="关于加快乡村道路建设的建议")
        page = client.get(reverse("proposals:list"), {"q": query}).content.decode()
        assert seed_letter.proposal.title in page
        assert other.title not in page

    def test_no_match_says_so(self, client, seed_letter):
        page = client.get(reverse("proposals:list"), {"q": "氢能"}).content.decode()
        assert "没有找到与“氢能”相符的已公开提案" in page

    def test_it_is_paginated_and_keeps_the_query(self, client, settings):
        settings.PAGE_SIZE = 2
        for _ in range(5):
            make_proposal(title="关于发展氢能产业的建议")
        first = client.get(reverse("proposals:list"), {"q": "氢能"}).content.decode()
        assert "共 5 件" in first
        assert "q=%E6%B0%A2%E8%83%BD&amp;page=2" in first
        last = client.get(reverse("proposals:list"), {"q": "氢能", "page": 3})
        assert len(last.context["page"].object_list) == 1

    @pytest.mark.parametrize("rows", [1, 20])
    def test_query_count_is_constant(self, client, django_assert_num_queries, rows):
        lead = make_department()
        for _ in range(rows):
            proposal = make_proposal(proposers=[make_proposer("甲"), make_proposer("乙")])
            make_assignment(proposal, lead, role=Assignment.Role.LEAD)
            make_assignment(proposal, role=Assignment.Role.CO_HANDLING)
        # filter choices: sessions with committees, departments; count; page of proposals with session
        # and committee (due date as a subquery); proposers; lead departments; public replies' classes
        with django_assert_num_queries(7):
            client.get(reverse("proposals:list"))


class TestDetail:
    def test_it_shows_the_facts_departments_and_the_letter_link(self, client, seed_letter):
        page = client.get(seed_letter.proposal.get_absolute_url()).content.decode()
        for fact in ["20200287", "自治区政协十二届三次会议", "提案", "蒋俏玲代表", "已答复"]:
            assert fact in page
        for department, role in [
            ("自治区科技厅", "主办"),
            ("自治区发展改革委", "会办"),
            ("自治区财政厅", "会办"),
        ]:
            assert department in page and role in page
        assert (
            f'<a class="reply-link" href="{seed_letter.get_absolute_url()}">阅读自治区科技厅的答复函</a>'
            in page
        )

    def test_it_lists_the_lead_first_and_leaves_out_a_replaced_lead(self, client):
        proposal = make_proposal()
        make_assignment(proposal, make_department("自治区财政厅"), role=Assignment.Role.CO_HANDLING)
        make_assignment(
            proposal,
            make_department("自治区水利厅"),
            returned_on=datetime.date(2020, 7, 3),
            return_reason="不属于本单位职责",
            objection_decision=Assignment.ObjectionDecision.REASSIGNED,
        )
        make_assignment(proposal, make_department("自治区交通运输厅"))
        response = client.get(proposal.get_absolute_url())
        rows = [(str(a.department), a.role) for a in response.context["proposal"].assignments.all()]
        assert rows == [("自治区交通运输厅", "lead"), ("自治区财政厅", "co")]
        assert "自治区水利厅" not in response.content.decode()

    def test_unpublished_proposals_are_not_found(self, client):
        proposal = make_proposal(is_published=False)
        assert client.get(proposal.get_absolute_url()).status_code == 404

    def test_unpublished_replies_are_not_linked(self, client):
        draft = make_response(status="draft")
        page = client.get(draft.proposal.get_absolute_url()).content.decode()
        assert draft.get_absolute_url() not in page
        assert "暂无公开的答复函" in page

    @pytest.mark.parametrize("departments", [1, 8])
    def test_query_count_is_constant(self, client, django_assert_num_queries, departments):
        proposal = make_proposal(proposers=[make_proposer()], status=Proposal.Status.REPLIED)
        lead = make_assignment(proposal, role=Assignment.Role.LEAD).department
        for _ in range(departments):
            make_assignment(proposal, role=Assignment.Role.CO_HANDLING)
        make_response(proposal, lead)
        # proposal with session, committee and merged-into; proposers; assignments; public replies;
        # public events; commitments of the public replies; earlier commitments it cites
        # its numbered suggestions (none here; test_point_by_point_pages pins the page with them)
        with django_assert_num_queries(8):
            client.get(proposal.get_absolute_url())
