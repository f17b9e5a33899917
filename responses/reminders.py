"""Due-soon and overdue reminders (到期提醒 / 逾期提醒), each sent once however often cron runs.

Three kinds:

* an assignment due within `DUE_SOON_DAYS` days and not yet done (``due_soon``);
* an assignment past its due date and not yet done (``overdue``);
* a commitment of an issued reply past its due date and still open (``commitment_overdue``).

"Not yet done" is the board's rule, defined once in ``responses.overdue.owes_work``: for a lead or
separate-handling department, no current issued reply, or one rated 不满意 (re-handling asks for a
new reply); for a co-handling department, no submitted 会办意见 while the lead has not replied.

Each reminder has a key naming what it is about, the kind and the due date
(``assignment:12:overdue:2025-06-30``). The key is stored as a SentReminder in the same
transaction that sends the mail, before sending: a failed send rolls the record back, and a moved
deadline makes a new key, so an extended assignment is reminded again.
"""

from collections import Counter
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from proposals.models import Assignment, SentReminder
from proposals.notifications import recipients
from tracker.chinese import format_day

from .models import Commitment
from .overdue import open_assignments

DUE_SOON_DAYS = 7

DUE_SOON = "due_soon"
OVERDUE = "overdue"
COMMITMENT_OVERDUE = "commitment_overdue"
KIND_LABELS = {
    DUE_SOON: gettext_lazy("即将到期提醒"),
    OVERDUE: gettext_lazy("逾期提醒"),
    COMMITMENT_OVERDUE: gettext_lazy("承诺逾期提醒"),
}


@dataclass
class Reminder:
    key: str
    kind: str
    subject: str
    body: str
    recipients: list

    @property
    def kind_label(self):
        return KIND_LABELS[self.kind]


def _proposal_name(proposal):
    if proposal.number:
        return _("第%(number)s号提案《%(title)s》") % {"number": proposal.number, "title": proposal.title}
    return _("提案《%(title)s》") % {"title": proposal.title}


def _short_name(proposal):
    title = proposal.title if len(proposal.title) <= 40 else f"{proposal.title[:40]}…"
    return f"第{proposal.number}号 {title}" if proposal.number else title


def _footer():
    return _("查看：%(link)s\n\n—— 提案办理追踪（此邮件由系统自动发送）") % {
        "link": f"{settings.SITE_URL}{reverse('workspace')}"
    }


def waiting_assignments(today):
    """Assignments owing work (overdue.owes_work) due by `today + DUE_SOON_DAYS`, with proposal and
    department. One query."""
    return (
        open_assignments(today, DUE_SOON_DAYS)
        .select_related("proposal", "department")
        .order_by("due_on", "pk")
    )


def assignment_reminder(assignment, today):
    kind = OVERDUE if assignment.due_on < today else DUE_SOON
    if assignment.role == Assignment.Role.CO_HANDLING:
        what = pgettext("what a reminder says is due", "会办意见")
    else:
        what = pgettext("what a reminder says is due", "答复")
    if kind == OVERDUE:
        when = _("已逾期%(days)s天") % {"days": (today - assignment.due_on).days}
    elif assignment.due_on == today:
        when = _("今天到期")
    else:
        when = _("还有%(days)s天到期") % {"days": (assignment.due_on - today).days}
    proposal = assignment.proposal
    subject = _("[提案办理追踪] %(kind)s：%(proposal)s") % {
        "kind": KIND_LABELS[kind],
        "proposal": _short_name(proposal),
    }
    body = "\n\n".join(
        [
            _("%(department)s：") % {"department": assignment.department},
            _("%(proposal)s由贵单位%(role)s，%(what)s期限为%(due)s，%(when)s。请抓紧办理。")
            % {
                "proposal": _proposal_name(proposal),
                "role": assignment.get_role_display(),
                "what": what,
                "due": format_day(assignment.due_on),
                "when": when,
            },
            _footer(),
        ]
    )
    return Reminder(
        key=f"assignment:{assignment.pk}:{kind}:{assignment.due_on.isoformat()}",
        kind=kind,
        subject=subject,
        body=body,
        recipients=recipients(departments=[assignment.department]),
    )


def overdue_commitments(today):
    """Open commitments of current replies past their due date (one query): a corrected reply's
    commitments are reminded once, from the correction."""
    return (
        Commitment.objects.current()
        .overdue(today)
        .select_related("owner", "item__response__department", "item__response__proposal")
        .order_by("due_on", "pk")
    )


def commitment_reminder(commitment, today):
    reply = commitment.item.response
    # A commitment without an owner is the answering department's own.
    owner = commitment.owner or reply.department
    subject = _("[提案办理追踪] %(kind)s：%(commitment)s") % {
        "kind": KIND_LABELS[COMMITMENT_OVERDUE],
        "commitment": commitment,
    }
    body = "\n\n".join(
        [
            _("%(department)s：") % {"department": owner},
            _(
                "%(department)s在对%(proposal)s的答复中承诺：“%(text)s”，完成期限为%(due)s，"
                "已逾期%(days)s天，目前状态为“%(status)s”。请尽快落实并报告进展。"
            )
            % {
                "department": reply.department,
                "proposal": _proposal_name(reply.proposal),
                "text": commitment.text,
                "due": format_day(commitment.due_on),
                "days": (today - commitment.due_on).days,
                "status": commitment.get_status_display(),
            },
            _footer(),
        ]
    )
    return Reminder(
        key=f"commitment:{commitment.pk}:overdue:{commitment.due_on.isoformat()}",
        kind=COMMITMENT_OVERDUE,
        subject=subject,
        body=body,
        recipients=recipients(departments=[owner]),
    )


def due_reminders(today):
    """Every reminder that applies on `today` and has not been sent yet."""
    candidates = [assignment_reminder(a, today) for a in waiting_assignments(today)]
    candidates += [commitment_reminder(c, today) for c in overdue_commitments(today)]
    sent = set(SentReminder.objects.filter(key__in=[r.key for r in candidates]).values_list("key", flat=True))
    return [reminder for reminder in candidates if reminder.key not in sent]


@dataclass
class Report:
    sent: Counter
    without_recipients: list  # reminders nobody could receive (not recorded: sent once staff exist)
    failed: list  # (reminder, error) whose sending failed (not recorded: retried next run)


def send_reminders(today, *, dry_run=False):
    """Send what is due on `today`. With dry_run, send and record nothing: report what would go."""
    report = Report(sent=Counter(), without_recipients=[], failed=[])
    for reminder in due_reminders(today):
        if not reminder.recipients:
            report.without_recipients.append(reminder)
            continue
        if dry_run:
            report.sent[reminder.kind] += 1
            continue
        try:
            with transaction.atomic():
                _record, created = SentReminder.objects.get_or_create(key=reminder.key)
                if not created:  # another run got there first
                    continue
                send_mass_mail(
                    [
                        (reminder.subject, reminder.body, settings.DEFAULT_FROM_EMAIL, [address])
                        for address in reminder.recipients
                    ],
                    fail_silently=False,
                )
        except Exception as error:  # a mail server error must not stop the other reminders
            report.failed.append((reminder, error))
        else:
            report.sent[reminder.kind] += 1
    return report
