"""Who may open each office page: office staff only; others who may read the record get 403,
outsiders 404, anonymous visitors go to the login page."""

import datetime

import pytest
from django.urls import reverse

from proposals.models import Assignment, IntakeBatch, Proposal, ProposalProposer, Proposer
from tests.factories import make_proposal

pytestmark = pytest.mark.django_db


LOGIN = "/accounts/login/"
NOT_OFFICE_403 = {
    "lead": 403,
    "co": 403,
    "unrelated": 403,
    "proposer": 403,
    "other_delegate": 403,
    "anonymous": LOGIN,
}
# An unpublished proposal of 蒋俏玲's: she may know of it, no department may.
PROPOSERS_UNPUBLISHED = {
    "lead": 404,
    "co": 404,
    "unrelated": 404,
    "proposer": 403,
    "other_delegate": 404,
    "anonymous": LOGIN,
}
# The seed's lead assignment: only its department may know of it.
LEADS_ASSIGNMENT = {
    "lead": 403,
    "co": 404,
    "unrelated": 404,
    "proposer": 404,
    "other_delegate": 404,
    "anonymous": LOGIN,
}

# (url name, method, object the URL points at, {persona: status, or LOGIN for a redirect to login}).
# Objects: "seed" = proposal 20200287 (published, replied); "submitted" = an unpublished proposal of
# 蒋俏玲 awaiting review; "registered" = 蒋俏玲's registered proposal awaiting assignment; "lead" = the
# seed's lead assignment (自治区科技厅); "returned" = the seed's co-handling assignment of
# 自治区发展改革委, returned; "attachment" = a file on the submitted proposal; "batch" = an uploaded
# sheet awaiting the office's preview decision.
MATRIX = [
    ("office:dashboard", "get", None, {"office": 200, **NOT_OFFICE_403}),
    ("office:proposal_list", "get", None, {"office": 200, **NOT_OFFICE_403}),
    ("office:proposal_new", "get", None, {"office": 200, **NOT_OFFICE_403}),
    ("office:proposal_import", "get", None, {"office": 200, **NOT_OFFICE_403}),
    ("office:import_template", "get", None, {"office": 200, **NOT_OFFICE_403}),
    ("office:intake_preview", "get", "batch", {"office": 200, **NOT_OFFICE_403}),
    ("office:intake_confirm", "get", "batch", {"office": 405, **NOT_OFFICE_403}),
    ("office:intake_confirm", "post", "batch", {"office": 302, **NOT_OFFICE_403}),
    ("office:intake_cancel", "post", "batch", {"office": 302, **NOT_OFFICE_403}),
    ("office:overdue", "get", None, {"office": 200, **NOT_OFFICE_403}),
    ("opendata:office_scores", "get", None, {"office": 200, **NOT_OFFICE_403}),
    ("office:sessions", "get", None, {"office": 200, **NOT_OFFICE_403}),
    ("office:queue", "get", "queue", {"office": 200, **NOT_OFFICE_403}),
    # Nothing ticked: the office goes back to the list with a message.
    ("office:batch_register", "get", None, {"office": 302, **NOT_OFFICE_403}),
    ("office:batch_assign", "get", None, {"office": 302, **NOT_OFFICE_403}),
    ("office:proposal_detail", "get", "seed", {"office": 200, **NOT_OFFICE_403}),
    ("office:proposal_detail", "get", "submitted", {"office": 200, **PROPOSERS_UNPUBLISHED}),
    ("office:review", "get", "submitted", {"office": 200, **PROPOSERS_UNPUBLISHED}),
    ("office:proposal_edit", "get", "submitted", {"office": 200, **PROPOSERS_UNPUBLISHED}),
    ("office:assign", "get", "registered", {"office": 200, **PROPOSERS_UNPUBLISHED}),
    ("office:publication", "get", "seed", {"office": 200, **NOT_OFFICE_403}),
    ("office:suggestions", "get", "seed", {"office": 200, **NOT_OFFICE_403}),
    ("office:suggestions", "get", "submitted", {"office": 200, **PROPOSERS_UNPUBLISHED}),
    ("office:attachment", "get", "attachment", {"office": 200, **PROPOSERS_UNPUBLISHED}),
    (
        "office:objection",
        "get",
        "returned",
        {
            "office": 200,
            "lead": 404,
            "co": 403,
            "unrelated": 404,
            "proposer": 404,
            "other_delegate": 404,
            "anonymous": LOGIN,
        },
    ),
    ("office:extend", "get", "lead", {"office": 200, **LEADS_ASSIGNMENT}),
    ("office:chase", "post", "lead", {"office": 302, **LEADS_ASSIGNMENT}),
]


@pytest.fixture
def office_objects(personas, seed_letter, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    from django.core.files.base import ContentFile

    seed = seed_letter.proposal
    seed.status = Proposal.Status.ASSIGNED
    seed.save()
    proposer = Proposer.objects.get(name="蒋俏玲")
    submitted = make_proposal(
        session=seed.session, number="", status=Proposal.Status.SUBMITTED, is_published=False
    )
    registered = make_proposal(
        session=seed.session, number="20200900", status=Proposal.Status.REGISTERED, is_published=False
    )
    for proposal in (submitted, registered):
        ProposalProposer.objects.create(proposal=proposal, proposer=proposer, position=1)
    attachment = submitted.attachments.create(name="附件.txt", file=ContentFile(b"hello", name="a.txt"))
    lead = seed.assignments.get(role=Assignment.Role.LEAD)
    lead.assigned_on, lead.due_on = datetime.date(2020, 7, 1), datetime.date(2020, 10, 1)
    lead.save()
    returned = seed.assignments.get(department__name="自治区发展改革委")
    returned.returned_on, returned.return_reason = datetime.date(2020, 7, 3), "不属于本单位职责"
    returned.save()
    return {
        "seed": seed.pk,
        "submitted": submitted.pk,
        "registered": registered.pk,
        "lead": lead.pk,
        "returned": returned.pk,
        "attachment": attachment.pk,
        "queue": "overdue",
        "batch": IntakeBatch.objects.create(
            committee=seed.session.committee,
            file_name="提案.xlsx",
            sha256="0" * 64,
            created_by=personas["office"],
        ).pk,
    }


CASES = [
    pytest.param(name, method, obj, persona, expected, id=f"{name}-{obj or 'page'}-{persona}")
    for name, method, obj, outcomes in MATRIX
    for persona, expected in outcomes.items()
]


@pytest.mark.parametrize(("name", "method", "obj", "persona", "expected"), CASES)
def test_office_page_access(client_for, office_objects, name, method, obj, persona, expected):
    url = reverse(name, args=[office_objects[obj]] if obj else [])
    response = getattr(client_for(persona), method)(url)
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(LOGIN)
    else:
        assert response.status_code == expected
        if expected == 302:
            assert not response["Location"].startswith(LOGIN)


def test_every_office_url_has_a_row_in_the_matrix():
    from responses import office_urls

    rows = {row[0] for row in MATRIX if row[0].startswith("office:")}
    assert {f"office:{p.name}" for p in office_urls.urlpatterns} == rows
