"""The salutation a new reply starts with: each proposer with their own kind's title, joined as an
official letter joins it (proposals.models.salutation, the one rule every pre-fill uses)."""

import pytest

from proposals.models import Proposer, salutation

M, D, C = Proposer.Kind.MEMBER, Proposer.Kind.DEPUTY, Proposer.Kind.COLLECTIVE


def people(*pairs):
    return [Proposer(name=name, kind=kind) for name, kind in pairs]


@pytest.mark.parametrize(
    ("proposers", "expected"),
    [
        ([], ""),
        ([("蒋俏玲", D)], "蒋俏玲代表："),
        ([("李明", M)], "李明委员："),
        ([("李明", M), ("蒋俏玲", D)], "李明委员、蒋俏玲代表："),
        ([("李明", M), ("王芳", M)], "李明、王芳委员："),
        ([("李明", M), ("王芳", M), ("蒋俏玲", D)], "李明、王芳委员、蒋俏玲代表："),
        ([("蒋俏玲", D), ("李明", M), ("王芳", M)], "蒋俏玲代表、李明、王芳委员："),
        ([("民盟广西区委会", C)], "民盟广西区委会："),
        ([("民盟广西区委会", C), ("李明", M)], "民盟广西区委会、李明委员："),
        ([("甲", M), ("乙", M), ("丙", M), ("丁", M)], "甲等委员："),
        ([("甲", M), ("乙", D), ("丙", M), ("丁", M)], "甲等委员、代表："),
    ],
)
def test_each_proposer_is_addressed_by_their_own_kind(proposers, expected):
    assert salutation(people(*proposers)) == expected


def test_the_number_of_names_before_deng_is_a_setting(settings):
    four = people(("甲", M), ("乙", M), ("丙", M), ("丁", M))
    settings.SALUTATION_MAX_NAMES = 4
    assert salutation(four) == "甲、乙、丙、丁委员："
    settings.SALUTATION_MAX_NAMES = 1
    assert salutation(four[:2]) == "甲等委员："
    assert salutation(four[:1]) == "甲委员："


@pytest.mark.django_db
def test_a_new_draft_addresses_a_member_and_a_deputy_each_by_their_title(personas):
    from test_department_support import make_case

    from proposals.models import ProposalProposer
    from responses import drafting

    case = make_case()
    ProposalProposer.objects.filter(proposal=case.proposal).update(position=2)
    ProposalProposer.objects.create(
        proposal=case.proposal, proposer=Proposer.objects.create(name="李明", kind=M), position=1
    )
    reply, _created = drafting.start_reply(case.lead, user=personas["lead"])
    assert reply.salutation == "李明委员、蒋俏玲代表："
