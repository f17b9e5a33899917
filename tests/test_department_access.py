"""Who may use each view of the department workspace: every view × every persona, exact status.

A department sees only its own work (other departments and delegates: 404); the office may know a
department's record exists but changes nothing here (403); anonymous visitors are sent to log in.
Role rules answer 403 too: a co-handling department drafting the reply, a lead writing a 会办意见.
"""

import pytest
from django.urls import reverse
from test_department_support import make_case, make_draft

from responses.models import Commitment

pytestmark = pytest.mark.django_db

PERSONA_NAMES = ["office", "lead", "co", "unrelated", "proposer", "other_delegate", "anonymous"]


def _everyone(status, **exceptions):
    return {name: exceptions.get(name, status) for name in PERSONA_NAMES}


# Lists: department staff only; the office and delegates may not use a department's workspace.
DEPARTMENT_LIST = _everyone(403, lead=200, co=200, unrelated=200, anonymous=302)
# A record of the lead department (自治区科技厅) on the case proposal.
LEAD_RECORD = _everyone(404, office=403, anonymous=302)
# A record of the co-handling department (自治区发展改革委).
CO_RECORD = _everyone(404, office=403, anonymous=302)

# (url name, method, whose object, expected status per persona)
MATRIX = [
    ("department:inbox", "get", None, DEPARTMENT_LIST),
    ("department:commitments", "get", None, DEPARTMENT_LIST),
    ("department:assignment", "get", "lead_assignment", {**LEAD_RECORD, "lead": 200}),
    ("department:assignment", "get", "co_assignment", {**CO_RECORD, "co": 200}),
    ("department:receive", "post", "lead_assignment", {**LEAD_RECORD, "lead": 302}),
    ("department:return", "get", "lead_assignment", {**LEAD_RECORD, "lead": 200}),
    ("department:return", "post", "co_assignment", {**CO_RECORD, "co": 200}),
    ("department:opinion", "get", "co_assignment", {**CO_RECORD, "co": 200}),
    ("department:opinion", "get", "lead_assignment", {**LEAD_RECORD, "lead": 403}),
    ("department:start_reply", "get", "lead_assignment", {**LEAD_RECORD, "lead": 302}),
    ("department:start_reply", "post", "co_assignment", {**CO_RECORD, "co": 403}),
    ("department:reply", "get", "draft", {**LEAD_RECORD, "lead": 200}),
    ("department:reply_edit", "get", "draft", {**LEAD_RECORD, "lead": 200}),
    ("department:reply_edit", "get", "seed_reply", {**LEAD_RECORD, "lead": 403}),
    ("department:reply_preview", "get", "draft", {**LEAD_RECORD, "lead": 200}),
    ("department:reply_submit", "post", "draft", {**LEAD_RECORD, "lead": 302}),
    ("department:reply_issue", "post", "draft", {**LEAD_RECORD, "lead": 302}),
    ("department:reply_correct", "get", "seed_reply", {**LEAD_RECORD, "lead": 200}),
    ("department:commitment_progress", "get", "seed_commitment", {**LEAD_RECORD, "lead": 200}),
    # Bulk progress: each department its own sheet; confirming with nothing previewed sends it back.
    ("department:bulk_progress_sheet", "get", None, DEPARTMENT_LIST),
    ("department:bulk_progress", "get", None, DEPARTMENT_LIST),
    (
        "department:bulk_progress_confirm",
        "post",
        None,
        {**DEPARTMENT_LIST, "lead": 302, "co": 302, "unrelated": 302},
    ),
]


@pytest.fixture
def objects(personas):
    case = make_case()
    draft = make_draft(case, personas["lead"])
    seed_commitment = Commitment.objects.filter(item__response__proposal__number="20200287").first()
    return {
        "lead_assignment": case.lead.pk,
        "co_assignment": case.co.pk,
        "draft": draft.pk,
        "seed_reply": seed_commitment.item.response_id,
        "seed_commitment": seed_commitment.pk,
    }


def _id(row):
    name, method, target, _expected = row
    return f"{method.upper()} {name}" + (f" [{target}]" if target else "")


@pytest.mark.parametrize("persona", PERSONA_NAMES)
@pytest.mark.parametrize(("name", "method", "target", "expected"), MATRIX, ids=[_id(row) for row in MATRIX])
def test_each_view_answers_each_persona_exactly(client_for, objects, persona, name, method, target, expected):
    url = reverse(name, args=[objects[target]] if target else [])
    response = getattr(client_for(persona), method)(url)
    assert response.status_code == expected[persona]
    if persona == "anonymous":
        assert response["Location"].startswith("/accounts/login/?next=")


def test_every_department_url_has_a_row_in_the_matrix():
    from responses.department_urls import urlpatterns

    assert {f"department:{pattern.name}" for pattern in urlpatterns} == {row[0] for row in MATRIX}


@pytest.mark.parametrize("name", ["department:receive", "department:reply_submit", "department:reply_issue"])
def test_actions_refuse_get(client_for, objects, name):
    target = "lead_assignment" if name == "department:receive" else "draft"
    assert client_for("lead").get(reverse(name, args=[objects[target]])).status_code == 405
