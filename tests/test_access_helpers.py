"""The access helpers of proposals/access.py and responses/access.py, called directly: who gets the
record, who gets 404 (must not learn it exists) and who gets 403 (may know it exists, may not use it here).

The seed record: proposal 20200287, published, answered by 自治区科技厅 (lead persona) in a published,
publicly disclosed reply whose commitments that department owns; 自治区发展改革委 (co persona)
co-handles it; 蒋俏玲 (proposer persona) filed it.
"""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from factories import make_commitment, make_item, make_proposal, make_response
from test_department_support import department, make_case, make_draft

from proposals.access import get_proposal_for_proposer
from proposals.models import Proposer
from responses.access import (
    get_commitment_for_department,
    get_reply_for_department,
    get_reply_for_office,
    get_reply_for_proposer,
)
from responses.models import Commitment, Response

pytestmark = pytest.mark.django_db

MISSING = 999_999


@pytest.fixture
def ask(rf, personas):
    """ask(helper, persona, pk) → what the helper gives that persona: the object, 404 or 403."""

    def call(helper, persona, pk):
        request = rf.get("/")
        request.user = personas[persona]
        try:
            return helper(request, pk)
        except Http404:
            return 404
        except PermissionDenied:
            return 403

    return call


@pytest.fixture
def seed_commitment(seed_letter):
    return Commitment.objects.filter(item__response=seed_letter).order_by("item__position", "position")[0]


# --- A department's own reply ------------------------------------------------------------------


def test_a_department_gets_its_own_reply(ask, seed_letter):
    assert ask(get_reply_for_department, "lead", seed_letter.pk) == seed_letter


def test_a_department_gets_its_own_draft(ask, personas):
    draft = make_draft(make_case(), personas["lead"])
    assert ask(get_reply_for_department, "lead", draft.pk) == draft


@pytest.mark.parametrize("persona", ["co", "unrelated", "proposer", "other_delegate"])
def test_anyone_outside_the_department_gets_404_for_its_reply(ask, seed_letter, persona):
    # The co-handling department too: it may read the issued letter elsewhere, not work on it here.
    assert ask(get_reply_for_department, persona, seed_letter.pk) == 404


def test_the_office_gets_403_for_a_department_reply(ask, seed_letter):
    assert ask(get_reply_for_department, "office", seed_letter.pk) == 403


def test_a_reply_no_assignment_stands_behind_is_404_even_for_its_department(ask, seed_letter):
    stray = make_response(make_proposal(session=seed_letter.proposal.session), department("自治区科技厅"))
    assert ask(get_reply_for_department, "lead", stray.pk) == 404
    assert ask(get_reply_for_department, "office", stray.pk) == 404


def test_a_missing_reply_is_404_for_a_department(ask, personas):
    assert ask(get_reply_for_department, "lead", MISSING) == 404


def test_the_department_reply_costs_four_queries(ask, seed_letter, django_assert_num_queries):
    # profile, reply, the department's assignment on the proposal, that assignment's department
    with django_assert_num_queries(4):
        assert ask(get_reply_for_department, "lead", seed_letter.pk) == seed_letter


# --- A proposer's reply ------------------------------------------------------------------------


def test_the_proposer_gets_the_issued_reply_to_their_proposal(ask, seed_letter):
    assert ask(get_reply_for_proposer, "proposer", seed_letter.pk) == seed_letter


def test_another_delegate_gets_403_for_a_public_reply(ask, seed_letter):
    assert ask(get_reply_for_proposer, "other_delegate", seed_letter.pk) == 403


def test_another_delegate_gets_404_for_a_reply_the_public_may_not_read(ask, seed_letter):
    Response.objects.filter(pk=seed_letter.pk).update(
        status=Response.Status.ISSUED, disclosure=Response.Disclosure.ON_REQUEST
    )
    assert ask(get_reply_for_proposer, "other_delegate", seed_letter.pk) == 404
    assert ask(get_reply_for_proposer, "proposer", seed_letter.pk) == seed_letter


def test_the_proposer_gets_404_for_a_draft_on_their_own_proposal(ask, personas):
    draft = make_draft(make_case(), personas["lead"])
    assert ask(get_reply_for_proposer, "proposer", draft.pk) == 404


# --- The office's reply ------------------------------------------------------------------------


def test_the_office_gets_any_reply_drafts_included(ask, personas, seed_letter):
    draft = make_draft(make_case(), personas["lead"])
    assert ask(get_reply_for_office, "office", seed_letter.pk) == seed_letter
    assert ask(get_reply_for_office, "office", draft.pk) == draft


@pytest.mark.parametrize("persona", ["lead", "co", "unrelated", "proposer", "other_delegate"])
def test_everyone_but_the_office_gets_403_whether_or_not_the_reply_exists(ask, seed_letter, persona):
    assert ask(get_reply_for_office, persona, seed_letter.pk) == 403
    assert ask(get_reply_for_office, persona, MISSING) == 403


def test_a_missing_reply_is_404_for_the_office(ask, personas):
    assert ask(get_reply_for_office, "office", MISSING) == 404


# --- A department's commitment -----------------------------------------------------------------


def test_a_department_gets_a_commitment_of_its_own_reply(ask, seed_commitment):
    assert ask(get_commitment_for_department, "lead", seed_commitment.pk) == seed_commitment


def test_a_department_gets_a_commitment_it_owns_in_another_departments_reply(ask, seed_letter):
    item = seed_letter.items.order_by("position").first()
    theirs = make_commitment(item, position=99, owner=department("自治区发展改革委"))
    assert ask(get_commitment_for_department, "co", theirs.pk) == theirs


@pytest.mark.parametrize("persona", ["co", "unrelated", "proposer", "other_delegate"])
def test_anyone_else_gets_404_for_a_departments_commitment(ask, seed_commitment, persona):
    assert ask(get_commitment_for_department, persona, seed_commitment.pk) == 404


def test_the_office_gets_403_for_a_departments_commitment(ask, seed_commitment):
    assert ask(get_commitment_for_department, "office", seed_commitment.pk) == 403


def test_a_commitment_of_a_reply_replaced_by_an_issued_correction_is_404(ask, seed_letter, seed_commitment):
    correction = make_response(
        seed_letter.proposal,
        seed_letter.department,
        version=2,
        status=Response.Status.ISSUED,
        supersedes=seed_letter,
        correction_reason="数据有误。",
    )
    kept = make_commitment(make_item(correction, 1))
    assert ask(get_commitment_for_department, "lead", seed_commitment.pk) == 404
    assert ask(get_commitment_for_department, "lead", kept.pk) == kept


def test_a_commitment_of_a_draft_is_404(ask, personas):
    draft = make_draft(make_case(), personas["lead"])
    commitment = Commitment.objects.get(item__response=draft)
    assert ask(get_commitment_for_department, "lead", commitment.pk) == 404


# --- A proposer's proposal ---------------------------------------------------------------------


def test_the_proposer_gets_their_own_proposal(ask, seed_letter):
    assert ask(get_proposal_for_proposer, "proposer", seed_letter.proposal_id) == seed_letter.proposal


def test_another_delegate_gets_403_for_a_published_proposal(ask, seed_letter):
    assert ask(get_proposal_for_proposer, "other_delegate", seed_letter.proposal_id) == 403


def test_another_delegate_gets_404_for_an_unpublished_proposal(ask, personas, seed_letter):
    unpublished = make_proposal(
        session=seed_letter.proposal.session,
        is_published=False,
        proposers=[Proposer.objects.get(name="蒋俏玲")],
    )
    assert ask(get_proposal_for_proposer, "other_delegate", unpublished.pk) == 404
    assert ask(get_proposal_for_proposer, "proposer", unpublished.pk) == unpublished
