"""`manage.py send_reminders`: due-soon and overdue reminders, each sent once however often it runs."""

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from factories import (
    make_assignment,
    make_commitment,
    make_department,
    make_item,
    make_proposal,
    make_response,
)

from proposals.models import Assignment, Department, Proposal, SentReminder
from responses import reminders
from responses.models import CoHandlingOpinion, Feedback, Response

pytestmark = pytest.mark.django_db

TODAY = "2025-06-10"


def run(*args, today=TODAY):
    out = StringIO()
    call_command("send_reminders", "--today", today, *args, stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.fixture
def keji(personas):
    return Department.objects.get(name="自治区科技厅")  # staff: keji@example.org


@pytest.fixture
def fagai(personas):
    return Department.objects.get(name="自治区发展改革委")  # staff: fagai@example.org


def assignment(department, due_on, *, role=Assignment.Role.LEAD, status=Proposal.Status.ASSIGNED, **fields):
    proposal = make_proposal(status=status, is_published=False)
    return make_assignment(
        proposal, department, role=role, assigned_on=datetime.date(2025, 3, 1), due_on=due_on, **fields
    )


def keys():
    return sorted(SentReminder.objects.values_list("key", flat=True))


class TestWhatIsReminded:
    def test_due_soon_and_overdue_replies_and_opinions(self, keji, fagai, mailoutbox):
        soon = assignment(keji, datetime.date(2025, 6, 17))  # exactly 7 days ahead
        late = assignment(keji, datetime.date(2025, 6, 9))
        opinion_late = assignment(fagai, datetime.date(2025, 6, 1), role=Assignment.Role.CO_HANDLING)
        output = run()
        assert keys() == sorted(
            [
                f"assignment:{soon.pk}:due_soon:2025-06-17",
                f"assignment:{late.pk}:overdue:2025-06-09",
                f"assignment:{opinion_late.pk}:overdue:2025-06-01",
            ]
        )
        assert (
            "即将到期提醒：1 条" in output and "逾期提醒：2 条" in output and "承诺逾期提醒：0 条" in output
        )
        by_subject = {mail.subject: mail for mail in mailoutbox}
        assert len(mailoutbox) == 3
        soon_mail = next(mail for subject, mail in by_subject.items() if "即将到期提醒" in subject)
        assert soon_mail.to == ["keji@example.org"]
        assert "答复期限为2025年6月17日，还有7天到期" in soon_mail.body
        opinion_mail = next(mail for mail in mailoutbox if mail.to == ["fagai@example.org"])
        assert "会办意见期限为2025年6月1日，已逾期9天" in opinion_mail.body
        assert "/workspace/" in opinion_mail.body

    def test_work_that_is_done_or_not_due_is_left_alone(self, keji, fagai, mailoutbox):
        replied = assignment(keji, datetime.date(2025, 6, 1), status=Proposal.Status.REPLIED)
        make_response(
            replied.proposal, keji, status=Response.Status.ISSUED, issued_on=datetime.date(2025, 5, 30)
        )
        opinion_sent = assignment(fagai, datetime.date(2025, 6, 1), role=Assignment.Role.CO_HANDLING)
        CoHandlingOpinion.objects.create(
            assignment=opinion_sent, text="同意", status="submitted", submitted_on=datetime.date(2025, 5, 30)
        )
        # a co-handling opinion no longer matters once the lead has replied
        assignment(
            fagai, datetime.date(2025, 6, 1), role=Assignment.Role.CO_HANDLING, status=Proposal.Status.REPLIED
        )
        assignment(keji, datetime.date(2025, 6, 18))  # 8 days ahead
        assignment(
            keji, datetime.date(2025, 6, 1), returned_on=datetime.date(2025, 3, 3), return_reason="不属职责"
        )
        assignment(keji, datetime.date(2025, 6, 1), status=Proposal.Status.CLOSED)
        draft_only = assignment(keji, datetime.date(2025, 6, 1))
        make_response(draft_only.proposal, keji, status=Response.Status.DRAFT)
        output = run()
        assert keys() == [f"assignment:{draft_only.pk}:overdue:2025-06-01"]  # a draft is not a reply
        assert "即将到期提醒：0 条" in output
        assert len(mailoutbox) == 1

    def test_rehandling_is_reminded_until_the_new_reply_is_issued(self, keji, personas, mailoutbox):
        rehandling = assignment(keji, datetime.date(2025, 6, 5), status=Proposal.Status.REHANDLING)
        first = make_response(
            rehandling.proposal, keji, status=Response.Status.ISSUED, issued_on=datetime.date(2025, 4, 1)
        )
        proposer = first.proposal.proposers.create(name="甲")
        Feedback.objects.create(response=first, proposer=proposer, rating="unsatisfied", comments="不满意")
        run()
        assert keys() == [f"assignment:{rehandling.pk}:overdue:2025-06-05"]
        make_response(
            rehandling.proposal,
            keji,
            version=2,
            status=Response.Status.ISSUED,
            issued_on=datetime.date(2025, 6, 9),
        )
        rehandling.due_on = datetime.date(2025, 6, 12)
        rehandling.save()
        run()
        assert len(keys()) == 1  # the second reply answers it

    def test_overdue_open_commitments_of_issued_replies(self, keji, fagai, mailoutbox):
        reply = make_response(
            status=Response.Status.ISSUED, department=keji, issued_on=datetime.date(2025, 1, 5)
        )
        late = make_commitment(make_item(reply, 1), owner=fagai, due_on=datetime.date(2025, 5, 31))
        make_commitment(make_item(reply, 2), owner=fagai, due_on=datetime.date(2025, 5, 31), status="done")
        make_commitment(make_item(reply, 3), owner=fagai, due_on=datetime.date(2025, 6, 10))  # due today
        ownerless = make_commitment(
            make_item(reply, 4), due_on=datetime.date(2025, 6, 1), status="in_progress"
        )
        draft = make_response(status=Response.Status.DRAFT, department=keji)
        make_commitment(make_item(draft, 1), owner=fagai, due_on=datetime.date(2025, 5, 1))
        output = run()
        assert keys() == sorted(
            [f"commitment:{late.pk}:overdue:2025-05-31", f"commitment:{ownerless.pk}:overdue:2025-06-01"]
        )
        assert "承诺逾期提醒：2 条" in output
        to_owner = next(mail for mail in mailoutbox if mail.to == ["fagai@example.org"])
        assert late.text in to_owner.body and "已逾期10天" in to_owner.body
        # no owner: the answering department is reminded
        assert any(mail.to == ["keji@example.org"] for mail in mailoutbox)

    def test_a_department_without_staff_is_reported_and_tried_again_later(self, personas, mailoutbox):
        nobody = make_department("无人单位")
        pending = assignment(nobody, datetime.date(2025, 6, 1))
        output = run()
        assert f"无收件人，未发送：assignment:{pending.pk}:overdue:2025-06-01" in output
        assert keys() == [] and mailoutbox == []


class TestOnce:
    def test_running_again_sends_nothing_twice(self, keji, mailoutbox):
        assignment(keji, datetime.date(2025, 6, 9))
        assignment(keji, datetime.date(2025, 6, 12))
        run()
        assert len(mailoutbox) == 2
        output = run()
        run(today="2025-06-11")
        assert len(mailoutbox) == 2
        assert "即将到期提醒：0 条" in output and "逾期提醒：0 条" in output

    def test_a_due_soon_reminder_is_followed_by_one_overdue_reminder(self, keji, mailoutbox):
        pending = assignment(keji, datetime.date(2025, 6, 12))
        run(today="2025-06-10")
        run(today="2025-06-13")
        run(today="2025-06-14")
        assert keys() == [
            f"assignment:{pending.pk}:due_soon:2025-06-12",
            f"assignment:{pending.pk}:overdue:2025-06-12",
        ]
        assert len(mailoutbox) == 2

    def test_an_extended_deadline_is_reminded_again(self, keji, mailoutbox):
        pending = assignment(keji, datetime.date(2025, 6, 9))
        run()
        pending.due_on = datetime.date(2025, 6, 16)  # extended: due soon again
        pending.save()
        run()
        assert len(mailoutbox) == 2
        assert "2025年6月16日" in mailoutbox[1].body
        run()
        assert len(mailoutbox) == 2

    def test_dry_run_sends_and_records_nothing(self, keji, mailoutbox):
        assignment(keji, datetime.date(2025, 6, 9))
        output = run("--dry-run")
        assert "试运行" in output and "逾期提醒：1 条" in output
        assert mailoutbox == [] and keys() == []
        run()
        assert len(mailoutbox) == 1

    def test_a_failed_send_is_not_recorded_and_is_retried(self, keji, monkeypatch, mailoutbox):
        pending = assignment(keji, datetime.date(2025, 6, 9))

        def down(*args, **kwargs):
            raise ConnectionRefusedError("smtp down")

        monkeypatch.setattr(reminders, "send_mass_mail", down)
        with pytest.raises(CommandError, match="1 条提醒发送失败"):
            run()
        assert keys() == []
        monkeypatch.undo()
        run()
        assert keys() == [f"assignment:{pending.pk}:overdue:2025-06-09"]
        assert len(mailoutbox) == 1

    def test_a_reminder_recorded_meanwhile_is_not_sent(self, keji, mailoutbox):
        pending = assignment(keji, datetime.date(2025, 6, 9))
        SentReminder.objects.create(key=f"assignment:{pending.pk}:overdue:2025-06-09")
        report = reminders.send_reminders(datetime.date(2025, 6, 10))
        assert sum(report.sent.values()) == 0 and mailoutbox == []


def test_a_bad_date_is_refused(db):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        run(today="10/06/2025")
