"""No 500 on bad input (issue 10, item 4): the findings of the probe, each a regression test."""

import re

import pytest

from tracker.filtering import ID_MAX, in_range

pytestmark = pytest.mark.django_db

TOO_BIG = str(ID_MAX + 1)  # 9223372036854775808: OverflowError on SQLite before the fix

API_ID_FILTERS = [
    ("/api/proposals/", "session"),
    ("/api/proposals/", "department"),
    ("/api/replies/", "department"),
    ("/api/replies/", "session"),
    ("/api/replies/", "proposal"),
    ("/api/commitments/", "owner"),
    ("/api/commitments/", "session"),
    ("/api/stats/", "session"),
]


@pytest.mark.parametrize("url, name", API_ID_FILTERS)
# "1.0", " 1", "+1", "01" and the full-width "１" all read as 1 to int(): the schema says integer, so
# an id written any other way than plain digits is refused (schemathesis found "1.0" accepted).
@pytest.mark.parametrize("value", [TOO_BIG, "-" + TOO_BIG, "0", "1.5", "abc", "1.0", " 1", "+1", "01", "１"])
def test_an_out_of_range_or_malformed_id_filter_is_a_400_naming_the_parameter(
    client, seed_letter, url, name, value
):
    response = client.get(url, {name: value})
    assert response.status_code == 400
    assert name in response.json()


@pytest.mark.parametrize("url", ["/api/proposals/", "/api/replies/"])
@pytest.mark.parametrize("value", ["10000", "0", TOO_BIG])
def test_a_year_out_of_range_is_a_400(client, seed_letter, url, value):
    response = client.get(url, {"year": value})
    assert response.status_code == 400 and "year" in response.json()


def test_the_largest_id_is_an_empty_result(client, seed_letter):
    response = client.get("/api/proposals/", {"session": ID_MAX})
    assert response.status_code == 200 and response.json()["count"] == 0


@pytest.mark.parametrize(
    "query", ["key=null", "key=", "overdue=maybe", "kind=", "kind=议案", "page_size=0", "page_size=x"]
)
def test_values_the_schema_does_not_allow_are_refused_not_ignored(client, seed_letter, query):
    url = "/api/commitments/" if query.startswith("overdue") else "/api/proposals/"
    assert client.get(f"{url}?{query}").status_code == 400


def test_a_search_with_a_nul_character_is_refused_as_the_schema_says(client, seed_letter):
    response = client.get("/api/proposals/", {"q": "氢\x00能"})
    assert response.status_code == 400 and "q" in response.json()
    schema = client.get("/api/schema/", {"format": "json"}).json()
    (q,) = [p for p in schema["paths"]["/api/proposals/"]["get"]["parameters"] if p["name"] == "q"]
    assert re.fullmatch(q["schema"]["pattern"], "氢\x00能") is None
    assert re.fullmatch(q["schema"]["pattern"], "氢能")


@pytest.mark.parametrize("value", ["", "1.0", "x"])
def test_a_statistics_session_that_is_not_an_integer_is_refused(client, seed_letter, value):
    assert client.get("/api/stats/", {"session": value}).status_code == 400
    assert client.get("/api/stats/").status_code == 200


def test_an_empty_search_is_accepted(client, seed_letter):
    response = client.get("/api/proposals/", {"q": ""})
    assert response.status_code == 200 and response.json()["count"] == 1


@pytest.mark.parametrize("path", ["/api/replies/4.7e-21/", "/api/nothing/", f"/api/proposals/{TOO_BIG}/"])
def test_an_unknown_api_path_is_a_json_404(client, seed_letter, path):
    response = client.get(path)
    assert response.status_code == 404 and response["Content-Type"] == "application/json"


def test_the_schema_declares_the_errors_it_answers(client):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    for path, item in schema["paths"].items():
        responses = item["get"]["responses"]
        assert "404" in responses, path
        if item["get"].get("parameters") and any(p["in"] == "query" for p in item["get"]["parameters"]):
            assert "400" in responses, path
    stats = schema["paths"]["/api/stats/"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert stats.get("type") != "array"  # one object, as answered


@pytest.mark.parametrize("url", ["/proposals/", "/commitments/", "/stats/", "/search/"])
@pytest.mark.parametrize(
    "query", [f"session={TOO_BIG}", f"department={TOO_BIG}", f"page={TOO_BIG}", "year=-1"]
)
def test_public_pages_take_out_of_range_filters_without_an_error(client, seed_letter, url, query):
    # 200 (an empty or clamped page), 400, or 301 to the canonical URL when the page ignores the parameter.
    assert client.get(f"{url}?{query}").status_code in (200, 301, 400)


def test_in_range_reads_only_whole_numbers_within_bounds():
    assert [in_range(v) for v in ["1", " 7 ", "0", TOO_BIG, "1.0", None, "x"]] == [
        1,
        7,
        None,
        None,
        None,
        None,
        None,
    ]
    assert in_range("2020", 1, 9999) == 2020 and in_range("10000", 1, 9999) is None


def test_the_letter_forms_proposal_lookup_ignores_an_out_of_range_id(seed_letter):
    from types import SimpleNamespace

    from responses.views.letters.letter_form import LetterForm

    form = SimpleNamespace(_proposals={})
    assert LetterForm.proposal_lookup(form, TOO_BIG) is None  # OverflowError on SQLite before
    assert LetterForm.proposal_lookup(form, str(seed_letter.proposal.pk)) == seed_letter.proposal


# Plausible dates and numbers ---------------------------------------------------------------------


def review(proposal, **data):
    from proposals.forms import ReviewForm

    return ReviewForm(
        {"action": "register", "number": "20200999", "registered_on": "2020-02-01", **data}, proposal=proposal
    )


def test_a_registration_needs_a_positive_number_and_a_date_near_its_session(seed_letter):
    proposal = seed_letter.proposal  # session of 2020
    assert review(proposal).is_valid()
    assert review(proposal, number="-1").errors["number"] == ["编号须是正整数，如 20200287。"]
    assert review(proposal, number="0").errors["number"] == ["编号须是正整数，如 20200287。"]
    assert review(proposal, registered_on="9999-12-31").errors["registered_on"] == [
        "立案日期应在会议年度（2020年）前后一年内。"
    ]
    assert review(proposal, registered_on="2021-12-31").is_valid()


def test_a_deadline_extension_is_bounded_by_the_configured_span(seed_letter, settings):
    from proposals.forms import ExtendForm

    settings.TRACKER_MAX_EXTENSION_DAYS = 90
    import datetime

    assignment = seed_letter.proposal.assignments.first()
    assignment.due_on = datetime.date(2020, 6, 1)
    far = ExtendForm({"new_due_on": "9999-12-31", "reason": "x"}, assignment=assignment)
    assert "一次至多延期90天" in far.errors["new_due_on"][0]
    near = assignment.due_on + datetime.timedelta(days=90)
    assert ExtendForm({"new_due_on": near.isoformat(), "reason": "x"}, assignment=assignment).is_valid()


def test_progress_is_dated_between_the_reply_and_today(seed_letter):
    import datetime

    from responses.forms import ProgressForm

    issued, today = datetime.date(2020, 6, 1), datetime.date(2020, 9, 1)

    def form(day):
        return ProgressForm(
            {"reported_on": day, "status": "in_progress", "text": "进展"}, issued_on=issued, today=today
        )

    assert form("1999-01-01").errors["reported_on"] == ["报告日期不能早于答复签发日期（2020-06-01）。"]
    assert form("2020-09-02").errors["reported_on"] == ["报告日期不能晚于今天。"]
    assert form("2020-06-01").is_valid()
