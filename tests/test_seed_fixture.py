"""The reference record loads into an empty, migrated database and holds the letter as rows."""

import pytest

from proposals.models import Assignment, Proposal
from responses.models import Commitment

pytestmark = pytest.mark.django_db


def test_the_proposal_is_registered_under_its_session(seed_letter):
    proposal = Proposal.objects.select_related("session__committee").get(number="20200287")
    assert str(proposal.session) == "自治区政协十二届三次会议"
    assert proposal.session.year == 2020
    assert proposal.kind == Proposal.Kind.PROPOSAL
    assert proposal.title == "关于培养发展战略性新兴产业，推动广西工业高质量发展的建议"
    assert [str(link.proposer) for link in proposal.proposer_links.all()] == ["蒋俏玲代表"]


def test_it_is_assigned_by_the_office_to_a_lead_and_three_co_handlers(seed_letter):
    assignments = Assignment.objects.filter(proposal__number="20200287").select_related(
        "department", "assigned_by"
    )
    roles = [(a.department.name, a.role) for a in assignments.order_by("role", "position")]
    assert roles == [
        ("自治区发展改革委", Assignment.Role.CO_HANDLING),
        ("自治区工业和信息化厅", Assignment.Role.CO_HANDLING),
        ("自治区财政厅", Assignment.Role.CO_HANDLING),
        ("自治区科技厅", Assignment.Role.LEAD),
    ]
    assert {a.assigned_by.name for a in assignments} == {"自治区政协办公厅"}


def test_the_reply_has_five_sections_and_the_fifth_has_two(seed_letter):
    tree = seed_letter.item_tree()
    assert [item.number_label for item in tree] == ["一、", "二、", "三、", "四、", "五、"]
    assert [child.number_label for child in tree[4].children] == ["（一）", "（二）"]
    assert all(not item.children for item in tree[:4])
    assert seed_letter.department.name == "自治区科技厅"


def test_each_next_step_promise_is_its_own_commitment(seed_letter):
    per_section = {
        item.number_label: [c.text for c in item.commitments.order_by("position")]
        for item in seed_letter.item_tree()
    }
    assert [len(per_section[label]) for label in ["一、", "二、", "三、", "四、", "五、"]] == [3, 1, 1, 1, 0]
    assert [text[:2] for text in per_section["一、"]] == ["一是", "二是", "三是"]
    assert Commitment.objects.count() == 6


def test_the_record_invents_no_sign_off_date_or_contact(seed_letter):
    assert seed_letter.signoff_unit == ""
    assert seed_letter.issued_on is None
    assert not seed_letter.has_contact_block
    assert seed_letter.copied_to_list == []
    assert seed_letter.result_class == ""
    assert seed_letter.is_public
