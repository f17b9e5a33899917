"""Point-by-point answers in the reply editor: each item names the suggestions (具体建议) it answers;
the links round-trip through the editor's JSON, carry into re-handling's copy, and the editor and the
sign-off page warn about a suggestion no item answers (a warning, not a block)."""

import html
import json

import pytest
from django.urls import reverse
from test_department_support import complete, form_data, make_case, make_draft

from proposals.models import Suggestion
from responses import drafting
from responses.models import ResponseItem

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(personas):
    case = make_case()
    for position, text in enumerate(["布局氢能产业园", "支持制氢技术攻关", "建设加氢站"], 1):
        Suggestion.objects.create(proposal=case.proposal, position=position, text=text)
    return case


@pytest.fixture
def draft(case, personas):
    return make_draft(case, personas["lead"])


@pytest.fixture
def lead(client_for):
    return client_for("lead")


def suggestions(case):
    return list(case.proposal.suggestions.order_by("position"))


def edit_url(reply):
    return reverse("department:reply_edit", args=[reply.pk])


def load(client, reply):
    page = client.get(edit_url(reply))
    assert page.status_code == 200
    return page, form_data(page.content)


def post(client, reply, data, items):
    return client.post(edit_url(reply), {**data, "structure": json.dumps(items, ensure_ascii=False)})


def answered(reply):
    return {
        item.position: sorted(s.position for s in item.answers.all())
        for item in ResponseItem.objects.filter(response=reply, parent=None)
    }


def test_the_editor_lists_the_suggestions_and_warns_about_unanswered_ones(lead, draft):
    page, _data = load(lead, draft)
    text = page.content.decode()
    assert "提案的具体建议" in text
    assert "布局氢能产业园" in text and "建设加氢站" in text
    assert "以下建议尚无条目答复" in text
    assert 'class="alert alert-warning unanswered-warning" role="status">' in text  # shown, not hidden


def test_linking_items_to_suggestions_round_trips(lead, case, draft):
    first, second, third = suggestions(case)
    _page, data = load(lead, draft)
    items = json.loads(data["structure"])
    assert [item["answers"] for item in items] == [[], []]
    items[0]["answers"] = [first.pk, second.pk]
    items[1]["answers"] = [third.pk]
    response = post(lead, draft, data, items)
    assert response.status_code == 302
    assert answered(draft) == {1: [1, 2], 2: [3]}
    page, data = load(lead, draft)
    assert [sorted(item["answers"]) for item in json.loads(data["structure"])] == [
        sorted([first.pk, second.pk]),
        [third.pk],
    ]
    # Every suggestion answered: the warning is there but hidden, for the script to show again.
    assert 'unanswered-warning" role="status" hidden' in page.content.decode()


def test_unlinking_and_reordering_keep_the_links_with_their_item(lead, case, draft):
    first, second, third = suggestions(case)
    _page, data = load(lead, draft)
    items = json.loads(data["structure"])
    items[0]["answers"], items[1]["answers"] = [first.pk, second.pk], [third.pk]
    post(lead, draft, data, items)
    _page, data = load(lead, draft)
    items = json.loads(data["structure"])
    items.reverse()
    items[1]["answers"] = [first.pk]  # the old first item, now second, answers only 一
    assert post(lead, draft, data, items).status_code == 302
    assert answered(draft) == {1: [3], 2: [1]}


def test_sub_items_answer_suggestions_too(lead, case, draft):
    first, second, third = suggestions(case)
    _page, data = load(lead, draft)
    items = json.loads(data["structure"])
    items[0]["children"] = [
        {"id": None, "heading": "子条目", "paragraphs": "已办理。", "answers": [third.pk]}
    ]
    assert post(lead, draft, data, items).status_code == 302
    child = ResponseItem.objects.get(response=draft, parent__isnull=False)
    assert [s.pk for s in child.answers.all()] == [third.pk]


@pytest.mark.parametrize("bad", ["foreign", "deleted"])
def test_a_stale_or_tampered_suggestion_id_is_an_error_on_the_row_and_nothing_is_saved(
    lead, case, draft, bad
):
    first, _second, third = suggestions(case)
    other = make_case(number="20200998", title="关于另一件事的建议")
    foreign = Suggestion.objects.create(proposal=other.proposal, position=1, text="别的提案的建议")
    _page, data = load(lead, draft)
    items = json.loads(data["structure"])
    if bad == "deleted":
        stale = third.pk
        third.delete()
    else:
        stale = foreign.pk
    items[0]["answers"] = [first.pk, stale]
    items[0]["heading"] = "改过的小标题"
    response = post(lead, draft, data, items)
    assert response.status_code == 200
    body = html.unescape(response.content.decode())
    assert "所选的建议已不存在（可能已被办公厅修改），请重新选择本条答复的建议。" in body
    assert answered(draft) == {1: [], 2: []}
    # What was typed is kept on the page; the valid choice stays ticked.
    kept = json.loads(form_data(response.content)["structure"])
    assert kept[0]["heading"] == "改过的小标题" and kept[0]["answers"] == [first.pk]


@pytest.mark.parametrize("answers", ['"1"x', "[true]", '{"a": 1}', '["x"]'])
def test_unreadable_answers_are_a_form_error(lead, draft, answers):
    _page, data = load(lead, draft)
    raw = data["structure"].replace('"answers": []', f'"answers": {answers}', 1)
    raw = raw.replace('"answers":[]', f'"answers":{answers}', 1)
    response = lead.post(edit_url(draft), {**data, "structure": raw})
    assert response.status_code == 200
    assert "条目数据无法读取" in html.unescape(response.content.decode())


def test_the_reply_page_warns_before_sign_off_but_does_not_block(lead, case, draft):
    complete(draft)
    page = lead.get(reverse("department:reply", args=[draft.pk]))
    text = page.content.decode()
    assert "以下建议尚无条目答复" in text and "支持制氢技术攻关" in text
    response = lead.post(reverse("department:reply_submit", args=[draft.pk]))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == draft.Status.SUBMITTED


def test_rehandling_copy_carries_the_links(case, draft):
    first, second, third = suggestions(case)
    items = list(ResponseItem.objects.filter(response=draft).order_by("position"))
    items[0].answers.set([first, second])
    items[1].answers.set([third])
    copy = drafting.replies._copy_reply(draft)
    assert answered(copy) == {1: [1, 2], 2: [3]}
    assert answered(draft) == {1: [1, 2], 2: [3]}  # the original keeps its own
