"""Query counts of the reply editor and the pages around it, pinned: they do not grow with the
letter, and a save costs a fixed number of queries plus what it writes."""

import json

import pytest
from django.urls import reverse
from test_department_support import form_data, make_case, make_draft

from responses.models import Commitment, ResponseItem
from tracker.chinese import section_label

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(personas):
    return make_draft(make_case(), personas["lead"])


@pytest.fixture
def lead(client_for):
    return client_for("lead")


def grow(reply, items):
    for n in range(3, 3 + items):
        item = ResponseItem.objects.create(
            response=reply,
            position=n,
            number_label=section_label(n),
            heading=f"第{n}条",
            paragraphs=f"下一步，落实第{n}条。",
        )
        Commitment.objects.create(item=item, text=f"下一步，落实第{n}条。", owner=reply.department)


@pytest.mark.parametrize("extra", [0, 20])
def test_the_edit_page(lead, draft, django_assert_num_queries, extra):
    grow(draft, extra)
    url = reverse("department:reply_edit", args=[draft.pk])
    # session, user, reply, its assignment, the assignment's access check, profile, items,
    # commitments, the departments a commitment may be owned by, co-handling opinions, the
    # suggestions each item answers (prefetched), the proposal's suggestions
    with django_assert_num_queries(12):
        assert lead.get(url).status_code == 200


@pytest.mark.parametrize("extra", [0, 20])
def test_an_unchanged_save(lead, draft, django_assert_num_queries, extra):
    grow(draft, extra)
    url = reverse("department:reply_edit", args=[draft.pk])
    data = form_data(lead.get(url).content)
    # session, user, reply, its assignment, access check, profile, items, commitments; the result
    # class CHECK in its savepoint (3); owner departments; savepoint, lock claim, the reply row, its
    # history row, the search index (proposal, reply text, commitments, upsert), release: no item or
    # commitment row, and no query per commitment to validate it; the suggestions each item answers
    # (prefetched) and the proposal's suggestions (the answers are checked against them)
    with django_assert_num_queries(23):
        assert lead.post(url, data).status_code == 302


def test_new_rows_are_written_in_bulk(lead, draft, django_assert_num_queries):
    url = reverse("department:reply_edit", args=[draft.pk])
    data = form_data(lead.get(url).content)
    items = json.loads(data["structure"])
    items += [
        {
            "heading": f"第{n}条",
            "paragraphs": f"下一步，落实第{n}条。",
            "commitments": [{"text": f"下一步，落实第{n}条。"}],
        }
        for n in range(3, 13)
    ]
    data["structure"] = json.dumps(items, ensure_ascii=False)
    # the unchanged save's 23, plus one INSERT of the new items and one of their history rows, the
    # same for the new commitments: the same whatever their number
    with django_assert_num_queries(23 + 4):
        assert lead.post(url, data).status_code == 302
    assert ResponseItem.objects.filter(response=draft).count() == 12


@pytest.mark.parametrize("extra", [0, 20])
def test_the_reply_page(lead, draft, django_assert_num_queries, extra):
    grow(draft, extra)
    # session, user, reply, its assignment, access check, profile, the reply for the letter, its
    # items, their commitments, a correction of it, whether it has items, co-handling opinions,
    # its versions, the suggestions no item answers
    with django_assert_num_queries(14):
        assert lead.get(reverse("department:reply", args=[draft.pk])).status_code == 200
