"""The suggestions (具体建议) of a logged proposal: split from the body when the office logs or
imports it, corrected by hand at /office/proposals/<id>/suggestions/ until a reply is issued."""

import pytest
from django.urls import reverse
from factories import make_item, make_proposal, make_response
from test_office_logging import proposal_data, rows_data, workbook

from proposals import importing
from proposals.models import Committee, Proposal, Suggestion
from responses.models import ResponseItem
from tracker import limits

pytestmark = pytest.mark.django_db

BODY = """一、存在问题
1.冷库不足。
2.损耗率高。
二、对策建议
（一）加快布局产地冷藏保鲜设施。
（二）培育冷链物流龙头企业。
"""


def texts(proposal):
    return list(proposal.suggestions.order_by("position").values_list("text", flat=True))


def test_logging_splits_the_suggestions_from_the_body(office, seed_letter, personas):
    session = seed_letter.proposal.session
    data = proposal_data(session, body=BODY, **rows_data(("", "王五", "member")))
    response = office.post(reverse("office:proposal_new"), data)
    assert response.status_code == 302
    proposal = Proposal.objects.get(title="关于加快发展林下经济的建议")
    assert texts(proposal) == ["加快布局产地冷藏保鲜设施。", "培育冷链物流龙头企业。"]


def test_importing_splits_each_rows_suggestions(seed_letter, personas):
    rows = [["十二届三次", "提案", "关于发展冷链物流的建议", BODY, "", "2020-01-15", "王五", "代表"]]
    result = importing.import_workbook(workbook(rows), Committee.objects.get(), personas["office"])
    assert result.errors == []
    assert texts(result.created[0]) == ["加快布局产地冷藏保鲜设施。", "培育冷链物流龙头企业。"]


@pytest.fixture
def proposal(seed_letter):
    proposal = make_proposal(session=seed_letter.proposal.session, body=BODY)
    for position, text in enumerate(["甲", "乙", "丙"], 1):
        Suggestion.objects.create(proposal=proposal, position=position, text=text)
    return proposal


def url(proposal):
    return reverse("office:suggestions", args=[proposal.pk])


def post_rows(client, proposal, rows, extra=()):
    """rows: (suggestion or None, text, order, delete)."""
    rows = list(rows) + list(extra)
    initial = sum(1 for row in rows if row[0] is not None)
    data = {
        "s-TOTAL_FORMS": len(rows),
        "s-INITIAL_FORMS": initial,
        "s-MIN_NUM_FORMS": 0,
        "s-MAX_NUM_FORMS": 30,
    }
    for index, (suggestion, text, order, delete) in enumerate(rows):
        if suggestion is not None:
            data[f"s-{index}-id"] = suggestion.pk
        data[f"s-{index}-text"] = text
        data[f"s-{index}-ORDER"] = order
        if delete:
            data[f"s-{index}-DELETE"] = "on"
    return client.post(url(proposal), data)


def test_the_office_edits_adds_removes_and_reorders(office, proposal):
    first, second, third = proposal.suggestions.order_by("position")
    item = make_item(make_response(proposal=proposal, status="draft"), 1)
    item.answers.set([third])
    page = office.get(url(proposal))
    assert page.status_code == 200 and "甲" in page.content.decode()
    response = post_rows(
        office,
        proposal,
        [(first, "甲（改）", "2", False), (second, "乙", "", True), (third, "丙", "1", False)],
        extra=[(None, "丁", "3", False), (None, "", "", False)],
    )
    assert response.status_code == 302
    assert texts(proposal) == ["丙", "甲（改）", "丁"]
    # The row kept its identity, so the reply item still answers it.
    assert list(item.answers.values_list("text", flat=True)) == ["丙"]
    assert not Suggestion.objects.filter(pk=second.pk).exists()


def test_a_too_long_suggestion_is_an_error_next_to_it_and_nothing_is_lost(office, proposal):
    first, second, third = proposal.suggestions.order_by("position")
    long_text = "长" * (limits.SUGGESTION_MAX + 1)
    response = post_rows(
        office,
        proposal,
        [(first, long_text, "", False), (second, "乙（改）", "", False), (third, "丙", "", False)],
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "5000" in body and "乙（改）" in body
    assert texts(proposal) == ["甲", "乙", "丙"]


def test_after_a_reply_is_issued_the_suggestions_are_read_only(office, seed_letter):
    proposal = seed_letter.proposal
    Suggestion.objects.create(proposal=proposal, position=1, text="一条建议")
    page = office.get(url(proposal))
    assert page.status_code == 200
    assert "本提案已有签发的答复，具体建议不能再修改。" in page.content.decode()
    response = office.post(url(proposal), {"s-TOTAL_FORMS": 0, "s-INITIAL_FORMS": 0})
    assert response.status_code == 409
    assert texts(proposal) == ["一条建议"]


def test_the_page_costs_the_same_whatever_the_number_of_suggestions(
    office, proposal, django_assert_num_queries
):
    for position in range(4, 20):
        Suggestion.objects.create(proposal=proposal, position=position, text=f"第{position}条")
    # session, user, profile, the proposal, whether a reply is issued, the suggestions
    with django_assert_num_queries(6):
        assert office.get(url(proposal)).status_code == 200


def test_item_links_do_not_leak_between_proposals(proposal):
    assert ResponseItem.objects.filter(answers__proposal=proposal).count() == 0
