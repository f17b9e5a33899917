"""Chinese first, English available: the switch in the header changes the interface, not the letters."""

import pytest
from django.urls import reverse
from test_letter_page import letter_lines

pytestmark = pytest.mark.django_db


def test_chinese_is_the_default(client):
    page = client.get("/").content.decode()
    assert '<html lang="zh-hans">' in page
    assert "提案公开" in page


def test_the_header_switch_turns_the_interface_english(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/proposals/"})
    assert response.status_code == 302
    page = client.get("/proposals/").content.decode()
    assert '<html lang="en">' in page
    assert "Public proposals" in page
    assert "提案公开" not in page


def test_a_letter_stays_as_it_was_issued_in_english(client, seed_letter, seed_lines):
    client.post(reverse("set_language"), {"language": "en"})
    page = client.get(seed_letter.get_absolute_url()).content.decode()
    assert "Reply letter" in page  # the chrome is translated
    assert letter_lines(page) == seed_lines  # the letter is not


def test_office_buttons_read_as_actions_in_english(client_for, seed_letter):
    from proposals.models import Proposal

    proposal = Proposal.objects.get(pk=seed_letter.proposal_id)
    office = client_for("office")
    office.post(reverse("set_language"), {"language": "en"})
    page = office.get(reverse("office:proposal_detail", args=[proposal.pk])).content.decode()
    assert ">Extend deadline</a>" in page  # the button; the column heading stays "Extension"
    assert ">Extension</th>" in page


def test_reminders_in_english_name_what_is_due(db):
    import datetime

    from django.utils import translation
    from factories import make_assignment, make_department, make_proposal

    from responses.reminders import assignment_reminder

    assignment = make_assignment(
        make_proposal(), make_department("自治区交通运输厅"), due_on=datetime.date(2025, 6, 9)
    )
    with translation.override("en"):
        reminder = assignment_reminder(assignment, datetime.date(2025, 6, 10))
    assert "Reply deadline: " in str(reminder.body)
