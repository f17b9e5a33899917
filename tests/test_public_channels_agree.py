"""Property: after any sequence of workflow steps, every public channel shows exactly what the one
definition gives (Response.objects.public(), Commitment.objects.public()): no more, no fewer, nothing
twice; and the department figures count the rows the tracker lists.

Steps run through the same functions the views call (publication, correction, sign-off, progress).
Each example runs in a savepoint rolled back at its end, on top of the seed letter.
"""

import datetime

import pytest
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from proposals import workflow
from proposals.models import Assignment, Department, Proposal, Proposer
from responses.drafting import (
    issue_reply,
    receive,
    report_progress,
    start_correction,
    start_reply,
    submit_reply,
)
from responses.models import Commitment, Response, ResponseItem
from responses.publication import update_publication

pytestmark = pytest.mark.django_db

SEARCHED = "瞪羚企业"  # only in replies' commitments, so a hit means a public reply
DAY = datetime.date(2026, 11, 2)


def seed_proposal():
    return Proposal.objects.get(number="20200287")


def latest_reply():
    return Response.objects.filter(proposal=seed_proposal()).order_by("-version").first()


def withdraw(users):
    update_publication(seed_proposal(), is_published=False, is_key=False, actor=users["office"])


def publish(users):
    """The office publishes every proposal that has replies, with their issued 主动公开 replies."""
    for proposal in Proposal.objects.filter(responses__isnull=False).distinct():
        issued = Response.objects.filter(
            proposal=proposal, status=Response.Status.ISSUED, disclosure=Response.Disclosure.PUBLIC
        )
        update_publication(
            proposal, is_published=True, is_key=False, replies_to_publish=list(issued), actor=users["office"]
        )


def answer_new(users):
    """A new proposal from logging to an issued reply: log, register, assign, receive, draft, issue."""
    office, lead = users["office"], users["lead"]
    keji = Department.objects.get(name="自治区科技厅")
    seed = seed_proposal()
    proposal = workflow.log_proposal(
        session=seed.session,
        kind=Proposal.Kind.PROPOSAL,
        title="关于支持科技型中小企业的建议",
        body="建议加大支持。",
        proposers=[Proposer.objects.get(name="蒋俏玲")],
        actor=office,
    )
    number = workflow.suggest_number(seed.session)
    proposal = workflow.register(proposal, number=number, registered_on=DAY, actor=office)
    workflow.assign(proposal, assigned_on=DAY, lead=(keji, datetime.date(2027, 2, 1)), actor=office)
    assignment = Assignment.objects.get(proposal=proposal, department=keji)
    receive(assignment, user=lead, today=DAY)
    reply, _created = start_reply(assignment, user=lead)
    promise = "下一步，我们将支持瞪羚企业发展。"
    item = ResponseItem.objects.create(
        response=reply, position=1, number_label="一、", heading="关于支持", paragraphs=f"已支持。\n{promise}"
    )
    Commitment.objects.create(
        item=item, position=1, text=promise, owner=keji, due_on=datetime.date(2027, 6, 1)
    )
    Response.objects.filter(pk=reply.pk).update(result_class=Response.ResultClass.A)
    reply.refresh_from_db()
    submit_reply(reply, user=lead)
    issue_reply(reply, user=lead, today=DAY)


def correct(users):
    """The lead corrects its latest issued reply and issues the correction (not yet published)."""
    reply = latest_reply()
    if reply.status not in Response.Status.issued():
        return
    correction = start_correction(reply, reason="更正", user=users["lead"])
    # the drafter picks the result class in the editor (the seed letter does not state one)
    Response.objects.filter(pk=correction.pk).update(result_class=Response.ResultClass.A)
    correction.refresh_from_db()
    submit_reply(correction, user=users["lead"])
    issue_reply(correction, user=users["lead"], today=datetime.date(2026, 12, 1))


def restrict(users):
    """The latest reply, still a draft or not yet published, is disclosed on request only."""
    reply = latest_reply()
    if reply.status != Response.Status.PUBLISHED:
        Response.objects.filter(pk=reply.pk).update(disclosure=Response.Disclosure.ON_REQUEST)


def report(users):
    """Progress on the first open current commitment: it is now in progress, or done."""
    commitment = Commitment.objects.current().open().order_by("pk").first()
    if commitment is None:
        return
    status = (
        Commitment.Status.DONE
        if commitment.status == Commitment.Status.IN_PROGRESS
        else Commitment.Status.IN_PROGRESS
    )
    report_progress(
        commitment,
        reported_on=datetime.date(2026, 12, 2),
        status=status,
        text="已推进",
        user=users["lead"],
        today=datetime.date(2026, 12, 2),
    )


STEPS = {
    "withdraw": withdraw,
    "publish": publish,
    "correct": correct,
    "restrict": restrict,
    "report": report,
    "answer_new": answer_new,
}


def assert_channels_agree(client):
    replies = sorted(Response.objects.public().values_list("pk", flat=True))
    commitments = sorted(Commitment.objects.public().values_list("pk", flat=True))

    api_replies = [row["id"] for row in client.get(reverse("opendata:reply-list")).json()["results"]]
    assert sorted(api_replies) == replies
    api_commitments = client.get(reverse("opendata:commitment-list"), {"page_size": 100}).json()["results"]
    assert sorted(row["id"] for row in api_commitments) == commitments
    tracker = client.get(reverse("commitments:list"))
    assert sorted(c.pk for c in tracker.context["page"].object_list) == commitments
    for reply in Response.objects.all():
        expected = 200 if reply.pk in replies else 404
        assert client.get(reverse("responses:letter", args=[reply.pk])).status_code == expected
        assert client.get(reverse("letters:print", args=[reply.pk])).status_code in (
            (200,) if reply.pk in replies else (302,)
        )
    for proposal in Proposal.objects.all():
        page = client.get(reverse("proposals:detail", args=[proposal.pk]))
        mine = Response.objects.public().filter(proposal=proposal)
        if proposal.is_published:
            promised = Commitment.objects.public().filter(item__response__in=mine)
            assert sorted(c.pk for c in page.context["commitments"]) == sorted(
                promised.values_list("pk", flat=True)
            )
            assert sorted(r.pk for r in page.context["proposal"].public_replies) == sorted(r.pk for r in mine)
        else:
            assert page.status_code == 404 and not mine.exists()
    hits = [hit.pk for hit in client.get(reverse("search:search"), {"q": SEARCHED}).context["results"].hits]
    assert sorted(hits) == sorted(set(Response.objects.public().values_list("proposal_id", flat=True)))
    feed = client.get(reverse("opendata:replies-atom")).content.decode()
    for reply in Response.objects.all():
        assert (reverse("responses:letter", args=[reply.pk]) in feed) == (reply.pk in replies)
    # the department figures count what the tracker lists
    open_public = Commitment.objects.public().open()
    for department in client.get(reverse("units:list")).context["departments"]:
        assert department.open_commitments == open_public.filter(owner=department).count()


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(st.sampled_from(sorted(STEPS)), min_size=1, max_size=4))
def test_every_public_channel_shows_what_the_definition_gives(client, personas, steps):
    with transaction.atomic():
        assert_channels_agree(client)
        for name in steps:
            STEPS[name](personas)
            assert_channels_agree(client)
        transaction.set_rollback(True)
