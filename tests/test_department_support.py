"""Helpers shared by the department workspace tests (no tests here): a fresh assigned proposal on
top of the seed personas, and reading a form off a rendered page the way a browser would post it."""

import datetime
from html.parser import HTMLParser
from types import SimpleNamespace

from django.contrib.auth import get_user_model

from proposals.deadlines import DeadlineRules
from proposals.models import Assignment, Department, Profile, Proposal, ProposalProposer, Proposer
from responses import drafting
from responses.models import Commitment, Response, ResponseItem

# A Monday well inside the holiday calendar: five working days later is the next Monday.
ASSIGNED_ON = datetime.date(2026, 3, 2)


def department(name):
    return Department.objects.get(name=name)


def make_case(
    *, assigned_on=ASSIGNED_ON, received=True, number="20200999", title="关于加快发展氢能产业的建议"
):
    """A registered proposal by 蒋俏玲, assigned to 自治区科技厅 (lead) with 自治区发展改革委
    co-handling, as the office would have assigned it. Needs the personas fixture."""
    seed = Proposal.objects.get(number="20200287")
    proposer = Proposer.objects.get(name="蒋俏玲")
    proposer.phone = "13800001234"
    proposer.email = "jql@example.org"
    proposer.save()
    status = Proposal.Status.IN_HANDLING if received else Proposal.Status.ASSIGNED
    proposal = Proposal.objects.create(
        session=seed.session, number=number, title=title, body="建议加快氢能产业布局。", status=status
    )
    ProposalProposer.objects.create(proposal=proposal, proposer=proposer, position=1)
    rules = DeadlineRules()
    office = department("自治区政协办公厅")
    common = {
        "assigned_on": assigned_on,
        "assigned_by": office,
        "received_on": assigned_on if received else None,
    }
    lead = Assignment.objects.create(
        proposal=proposal,
        department=department("自治区科技厅"),
        role=Assignment.Role.LEAD,
        due_on=rules.reply_due(assigned_on),
        **common,
    )
    co = Assignment.objects.create(
        proposal=proposal,
        department=department("自治区发展改革委"),
        role=Assignment.Role.CO_HANDLING,
        due_on=rules.opinion_due(assigned_on),
        **common,
    )
    return SimpleNamespace(proposal=proposal, lead=lead, co=co, proposer=proposer)


def make_draft(case, user, items=2):
    """The lead's reply draft with `items` items; the first has a commitment."""
    reply, _created = drafting.start_reply(case.lead, user=user)
    for position in range(1, items + 1):
        ResponseItem.objects.create(
            response=reply,
            position=position,
            number_label=f"{'一二三四五'[position - 1]}、",
            heading=f"关于第{position}条建议",
            paragraphs=f"第{position}条已经办理。\n下一步，我们将落实第{position}条。",
        )
    first = reply.items.get(position=1)
    Commitment.objects.create(
        item=first, position=1, text="下一步，我们将落实第1条。", owner=department("自治区科技厅")
    )
    return reply


def complete(reply):
    """Fill what submission needs."""
    Response.objects.filter(pk=reply.pk).update(result_class="B")
    reply.refresh_from_db()
    return reply


def make_user(username, department_name, *, can_sign_off=False):
    user = get_user_model().objects.create_user(username, f"{username}@example.org", "pw-12345678")
    Profile.objects.create(
        user=user,
        role=Profile.Role.DEPARTMENT,
        department=department(department_name),
        can_sign_off=can_sign_off,
    )
    return user


class _FormReader(HTMLParser):
    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.data = []
        self._textarea = None
        self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
            return
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in ("submit", "button"):
                return
            if kind == "checkbox":
                if "checked" in attrs:
                    self.data.append((name, attrs.get("value", "on")))
                return
            self.data.append((name, attrs.get("value", "")))
        elif tag == "textarea" and name:
            self._textarea = [name, ""]
        elif tag == "select" and name:
            self._select = [name, None, None]  # name, first option, selected option
        elif tag == "option" and self._select is not None:
            value = attrs.get("value", "")
            if self._select[1] is None:
                self._select[1] = value
            if "selected" in attrs:
                self._select[2] = value

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "textarea" and self._textarea is not None:
            name, text = self._textarea
            self.data.append((name, text[1:] if text.startswith("\n") else text))
            self._textarea = None
        elif tag == "select" and self._select is not None:
            name, first, selected = self._select
            self.data.append((name, selected if selected is not None else (first or "")))
            self._select = None


def form_data(page, form_id="reply-form"):
    """The fields of <form id=form_id> as a browser would submit them: {name: value}."""
    reader = _FormReader(form_id)
    reader.feed(page if isinstance(page, str) else page.decode())
    return dict(reader.data)
