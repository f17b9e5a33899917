"""A proposal's and a reply's life as one table (Proposal.TRANSITIONS, Response.TRANSITIONS):
move_to() is the only way a status changes, and it refuses any move the table does not list."""

import pathlib
import re

import pytest
from factories import make_proposal, make_response

from proposals.models import Event, Proposal
from responses.models import Response

pytestmark = pytest.mark.django_db

ROOT = pathlib.Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("model", [Proposal, Response])
def test_every_status_has_a_row_and_leads_only_to_statuses(model):
    assert set(model.TRANSITIONS) == set(model.Status)
    for targets in model.TRANSITIONS.values():
        assert targets <= set(model.Status)


def test_a_legal_move_saves_the_status_and_writes_its_event():
    proposal = make_proposal(status=Proposal.Status.SUBMITTED, number="")
    proposal.not_registered_reason = Proposal.NotRegisteredReason.ACADEMIC
    event = proposal.move_to(
        Proposal.Status.NOT_REGISTERED,
        event=Event.Kind.NOT_REGISTERED,
        message="属于学术讨论",
        fields=("not_registered_reason",),
    )
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.NOT_REGISTERED
    assert list(proposal.events.values_list("pk", "kind")) == [(event.pk, Event.Kind.NOT_REGISTERED)]


def test_an_illegal_move_is_refused_with_a_clear_message_and_changes_nothing():
    proposal = make_proposal(status=Proposal.Status.REGISTERED, number="20250001", title="原标题")
    proposal.title = "改过的标题"
    with pytest.raises(Proposal.MoveRefused) as refused:
        proposal.move_to(Proposal.Status.CLOSED, event=Event.Kind.CLOSED, message="办结", fields=("title",))
    assert refused.value.messages == ["提案当前状态为“已立案”，不能改为“已办结”。"]
    proposal.refresh_from_db()
    assert (proposal.status, proposal.title) == (Proposal.Status.REGISTERED, "原标题")
    assert not proposal.events.exists()


def test_staying_in_the_same_status_is_not_a_move():
    proposal = make_proposal(status=Proposal.Status.FEEDBACK_RECEIVED)
    proposal.move_to(Proposal.Status.FEEDBACK_RECEIVED)
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.FEEDBACK_RECEIVED


def test_an_issued_reply_never_moves_back():
    reply = make_response(status=Response.Status.ISSUED)
    with pytest.raises(Response.MoveRefused) as refused:
        reply.move_to(Response.Status.DRAFT)
    assert refused.value.messages == ["答复当前状态为“已签发”，不能改为“草稿”。"]
    reply.refresh_from_db()
    assert reply.status == Response.Status.ISSUED
    reply.move_to(Response.Status.PUBLISHED)
    reply.refresh_from_db()
    assert reply.status == Response.Status.PUBLISHED


def test_a_draft_is_not_published_without_sign_off():
    reply = make_response(status=Response.Status.DRAFT)
    with pytest.raises(Response.MoveRefused):
        reply.move_to(Response.Status.PUBLISHED)
    reply.refresh_from_db()
    assert reply.status == Response.Status.DRAFT


def test_no_module_assigns_a_status_outside_move_to():
    """The table stays the one rule only if nothing writes `status` around it (the synthetic data
    generator writes rows in bulk and is exempt; models.py holds move_to itself). A new row's first
    status (a correction starts as a draft) is not a move."""
    assignment = re.compile(r"\b(proposal|reply|response|original)\.status\s*=[^=]")
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for app in ("proposals", "responses", "opendata", "search")
        for path in (ROOT / app).rglob("*.py")
        if "migrations" not in path.parts and path.name not in ("models.py", "synthetic.py")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if assignment.search(line)
    ]
    assert offenders == []
