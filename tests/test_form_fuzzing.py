"""Fuzzing the main forms with hypothesis (issue 10, item 4): whatever a user posts — huge numbers,
dates in year 9999, NUL bytes, odd Unicode, missing or repeated fields — each form answers with a
page or a redirect, never a server error (the test client re-raises any exception a view lets out).

Bounded: a fixed number of examples per form (derandomized in CI, see conftest.py).
"""

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from responses.models import Commitment

pytestmark = pytest.mark.django_db

ODD = [
    "",
    " ",
    "0",
    "-1",
    "1.5",
    "9223372036854775808",
    "-9223372036854775809",
    "9999-12-31",
    "0001-01-01",
    "2020-02-30",
    "1999-01-01",
    "true",
    "null",
    "\x00",
    "<script>",
    "正" * 300,
]
VALUE = st.one_of(
    st.sampled_from(ODD),
    st.text(max_size=40),
    st.integers().map(str),
    st.dates().map(str),
)


def values(*names, valid=None):
    """A dict of form data: each field either absent, an odd value, or (sometimes) a valid one."""
    valid = valid or {}
    return st.fixed_dictionaries(
        {},
        optional={name: st.one_of(VALUE, st.just(valid[name])) if name in valid else VALUE for name in names},
    )


FUZZ = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture
def clients(personas):
    made = {}
    for name, user in personas.items():
        made[name] = Client(raise_request_exception=True)
        if user is not None:
            made[name].force_login(user)
    return made


def post(client, url, data):
    response = client.post(url, data)
    assert response.status_code < 500, (url, data)


@FUZZ
@given(
    data=values(
        "session",
        "kind",
        "title",
        "body",
        "category",
        "submitted_on",
        "proposers-TOTAL_FORMS",
        "proposers-INITIAL_FORMS",
        "proposers-0-proposer",
        "proposers-0-new_name",
        "proposers-0-new_kind",
        valid={"kind": "proposal", "proposers-TOTAL_FORMS": "1", "proposers-INITIAL_FORMS": "0"},
    )
)
def test_logging_a_proposal(clients, data):
    post(clients["office"], reverse("office:proposal_new"), data)


@FUZZ
@given(
    data=values(
        "action",
        "number",
        "registered_on",
        "merge_into",
        "not_registered_reason",
        "note",
        valid={"action": "register", "registered_on": "2020-02-01"},
    )
)
def test_reviewing_a_proposal(clients, seed_letter, data):
    post(clients["office"], reverse("office:review", args=[seed_letter.proposal.pk]), data)


@FUZZ
@given(data=values("new_due_on", "reason", "decision", "department", "due_on", "note"))
def test_extending_chasing_and_deciding_an_objection(clients, seed_letter, data):
    assignment = seed_letter.proposal.assignments.first()
    for name in ("extend", "chase", "objection"):
        post(clients["office"], reverse(f"office:{name}", args=[assignment.pk]), data)


@FUZZ
@given(data=values("reason", "text", "reported_on", "status", valid={"status": "in_progress"}))
def test_department_forms(clients, seed_letter, data):
    co = seed_letter.proposal.assignments.get(department__name="自治区发展改革委")
    post(clients["co"], reverse("department:return", args=[co.pk]), data)
    post(clients["co"], reverse("department:opinion", args=[co.pk]), data)
    commitment = Commitment.objects.filter(item__response=seed_letter).first()
    post(clients["lead"], reverse("department:commitment_progress", args=[commitment.pk]), data)
    post(clients["lead"], reverse("department:reply_correct", args=[seed_letter.pk]), data)


@FUZZ
@given(data=values("rating", "contacted", "contact_method", "comments", valid={"rating": "satisfied"}))
def test_giving_feedback(clients, seed_letter, data):
    post(clients["proposer"], reverse("feedback:give", args=[seed_letter.pk]), data)


@FUZZ
@given(
    data=values(
        "session",
        "year",
        "kind",
        "status",
        "lead_department",
        "department",
        "result_class",
        "is_key",
        "overdue",
        "q",
        "page",
        "sort",
        "owner",
        "table",
        "format",
    )
)
def test_public_lists_and_filters(clients, seed_letter, data):
    department = seed_letter.department_id
    for url in ["/proposals/", "/commitments/", f"/departments/{department}/", "/stats/", "/search/"]:
        response = clients["anonymous"].get(url, data)
        assert response.status_code < 500, (url, data)
