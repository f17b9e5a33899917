"""The permission matrix: every view of the tracker, walked by every persona, with the exact outcome.

A view that is added without a row here fails `test_every_view_has_a_row`, so nobody can ship a page
whose access was never decided. Outcomes: a status code, or "login" for a redirect to the login page.
"""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from notices.models import Notice
from proposals import drafts
from proposals.leads import ProposalLead
from proposals.models import Assignment, CosignInvitation, IntakeBatch, ProposalAttachment
from proposals.subscriptions import Subscription
from responses.followup import rounds
from responses.models import Commitment

pytestmark = pytest.mark.django_db

PERSONAS = ["office", "lead", "co", "unrelated", "proposer", "other_delegate", "anonymous"]

# Namespaces that are not ours to police here: Django's admin has its own staff checks (tested in
# test_admin.py), the language switch is open to everyone.
SKIPPED_NAMESPACES = {"admin"}
SKIPPED_NAMES = {"set_language"}


def walk(resolver, namespace=""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from walk(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


def all_view_names():
    names = set()
    for name in walk(get_resolver()):
        if name.split(":")[0] in SKIPPED_NAMESPACES or name in SKIPPED_NAMES:
            continue
        names.add(name)
    return names


def everyone(status):
    return dict.fromkeys(PERSONAS, status)


def signed_in(status, anonymous="login"):
    return {**dict.fromkeys(PERSONAS, status), "anonymous": anonymous}


def only(allowed, status=200, others=403, anonymous="login", **exceptions):
    outcome = {persona: (status if persona in allowed else others) for persona in PERSONAS}
    outcome["anonymous"] = anonymous
    outcome.update(exceptions)
    return outcome


@pytest.fixture
def ids(personas, seed_letter, settings, tmp_path):
    """Primary keys of the seed record's parts, for building URLs."""
    settings.MEDIA_ROOT = tmp_path
    proposal = seed_letter.proposal
    attachment = ProposalAttachment.objects.create(
        proposal=proposal, name="提案原件", file=SimpleUploadedFile("提案.txt", "提案原文".encode())
    )
    round_ = rounds.open_round(
        session=proposal.session, title="回头看", deadline=timezone.localdate(), actor=personas["office"]
    )
    # A draft of 蒋俏玲's (the proposer) inviting 李明 (the other delegate) to co-sign, in a session
    # open for online submission.
    session = proposal.session
    session.submission_deadline = timezone.localdate() + datetime.timedelta(days=10)
    session.save()
    draft = drafts.start_draft(
        session=session, kind="proposal", proposer=proposal.first_proposer, actor=personas["proposer"]
    )
    draft.cosign_deadline = session.submission_deadline
    draft.save()
    invitation = CosignInvitation.objects.create(
        proposal=draft, proposer=personas["other_delegate"].profile.proposer, position=1
    )
    return {
        "draft": draft.pk,
        "invitation": invitation.pk,
        "notice": Notice.objects.create(user=personas["lead"], title="通知", link="/department/").pk,
        "subscription": Subscription.objects.create(proposal=proposal, email="reader@example.org").token,
        "round": round_.pk,
        "task": round_.tasks.get().pk,  # 自治区科技厅 (lead) owns every seed commitment
        "proposal": proposal.pk,
        "reply": seed_letter.pk,
        "lead_assignment": Assignment.objects.get(proposal=proposal, role=Assignment.Role.LEAD).pk,
        "co_assignment": Assignment.objects.filter(proposal=proposal, role=Assignment.Role.CO_HANDLING)
        .get(department__name="自治区发展改革委")
        .pk,
        "commitment": Commitment.objects.filter(item__response=seed_letter)
        .order_by("item__position", "position")[0]
        .pk,
        "department": seed_letter.department_id,
        "attachment": attachment.pk,
        "lead": ProposalLead.objects.create(
            title="关于社区食堂的线索", description="老年人用餐难。", status=ProposalLead.Status.PUBLISHED
        ).pk,
        "batch": IntakeBatch.objects.create(
            committee=proposal.session.committee,
            file_name="提案.xlsx",
            sha256="0" * 64,
            created_by=personas["office"],
        ).pk,
    }


NONE = lambda ids: []  # noqa: E731
PROPOSAL = lambda ids: [ids["proposal"]]  # noqa: E731
REPLY = lambda ids: [ids["reply"]]  # noqa: E731
LEAD_ASSIGNMENT = lambda ids: [ids["lead_assignment"]]  # noqa: E731
CO_ASSIGNMENT = lambda ids: [ids["co_assignment"]]  # noqa: E731
COMMITMENT = lambda ids: [ids["commitment"]]  # noqa: E731
DEPARTMENT = lambda ids: [ids["department"]]  # noqa: E731
ROUND = lambda ids: [ids["round"]]  # noqa: E731
TASK = lambda ids: [ids["task"]]  # noqa: E731
NOTICE = lambda ids: [ids["notice"]]  # noqa: E731
SUBSCRIPTION = lambda ids: [ids["subscription"]]  # noqa: E731
LEAD = lambda ids: [ids["lead"]]  # noqa: E731
DRAFT = lambda ids: [ids["draft"]]  # noqa: E731
INVITATION = lambda ids: [ids["invitation"]]  # noqa: E731
BATCH = lambda ids: [ids["batch"]]  # noqa: E731
DEPARTMENTS = {"lead", "co", "unrelated"}
DELEGATES = {"proposer", "other_delegate"}

# name: (method, args from ids, outcome per persona). The seed proposal is published and replied;
# its reply (自治区科技厅, lead) is issued and published.
MATRIX = {
    # Public pages
    "home": ("get", NONE, everyone(200)),
    "proposals:list": ("get", NONE, everyone(200)),
    "proposals:detail": ("get", PROPOSAL, everyone(200)),
    "responses:letter": ("get", REPLY, everyone(200)),
    "units:list": ("get", NONE, everyone(200)),
    "units:detail": ("get", DEPARTMENT, everyone(200)),
    "commitments:list": ("get", NONE, everyone(200)),
    "commitments:detail": ("get", COMMITMENT, everyone(200)),
    "search:search": ("get", NONE, everyone(200)),
    "letters:docx": ("get", REPLY, everyone(200)),
    "letters:print": ("get", REPLY, everyone(200)),
    # Following a published proposal by email: open to everyone, the token is the key
    "proposals:follow": ("get", PROPOSAL, everyone(200)),
    "proposals:confirm_follow": ("get", SUBSCRIPTION, everyone(200)),
    "proposals:unfollow": ("get", SUBSCRIPTION, everyone(200)),
    # 提案线索: anyone suggests and reads published leads; the office screens (an empty decision is a
    # form error: 400); members (delegates) adopt one as a draft and land in their workspace.
    "leads:list": ("get", NONE, everyone(200)),
    "leads:new": ("get", NONE, everyone(200)),
    "leads:detail": ("get", LEAD, everyone(200)),
    "leads:screening": ("get", NONE, only({"office"})),
    "leads:screen": ("post", LEAD, only({"office"}, status=400)),
    "leads:adopt": ("post", LEAD, only(DELEGATES, status=302)),
    # The bell: each signed-in user's own notices (someone else's notice sends back to the list)
    "notices:list": ("get", NONE, signed_in(200)),
    "notices:mark_read": ("post", NONE, signed_in(302)),
    "notices:open": ("get", NOTICE, signed_in(302)),
    "notices:unread": ("get", NONE, everyone(200)),
    # Accounts
    "login": ("get", NONE, everyone(200)),
    "logout": ("post", NONE, everyone(302)),
    "password_change": ("get", NONE, signed_in(200)),
    "password_change_done": ("get", NONE, signed_in(200)),
    "password_reset": ("get", NONE, everyone(200)),
    "password_reset_done": ("get", NONE, everyone(200)),
    "password_reset_confirm": ("get", lambda ids: ["MQ", "set-password"], everyone(200)),
    "password_reset_complete": ("get", NONE, everyone(200)),
    "workspace": ("get", NONE, signed_in(302)),
    # The office workspace: office only; a department that can read the thing it would change gets
    # 403, outsiders 404.
    "office:dashboard": ("get", NONE, only({"office"})),
    "office:proposal_list": ("get", NONE, only({"office"})),
    "office:proposal_new": ("get", NONE, only({"office"})),
    "office:proposal_import": ("get", NONE, only({"office"})),
    "office:import_template": ("get", NONE, only({"office"})),
    # An uploaded sheet awaiting its preview's decision (empty: confirming it creates nothing).
    "office:intake_preview": ("get", BATCH, only({"office"})),
    "office:intake_confirm": ("post", BATCH, only({"office"}, status=302)),
    "office:intake_cancel": ("post", BATCH, only({"office"}, status=302)),
    "office:overdue": ("get", NONE, only({"office"})),
    "office:queue": ("get", lambda ids: ["overdue"], only({"office"})),
    "office:proposal_detail": ("get", PROPOSAL, only({"office"})),
    # Nothing ticked: back to the list with a message
    "office:batch_register": ("get", NONE, only({"office"}, status=302)),
    "office:batch_assign": ("get", NONE, only({"office"}, status=302)),
    # The seed proposal is long past review and assignment: the office is sent back to its page.
    "office:review": ("get", PROPOSAL, only({"office"}, status=302)),
    "office:proposal_edit": ("get", PROPOSAL, only({"office"}, status=302)),
    "office:assign": ("get", PROPOSAL, only({"office"}, status=302)),
    "office:publication": ("get", PROPOSAL, only({"office"})),
    "office:suggestions": ("get", PROPOSAL, only({"office"})),
    "office:attachment": ("get", lambda ids: [ids["attachment"]], only({"office"})),
    "office:objection": ("get", LEAD_ASSIGNMENT, only({"office"}, status=302, others=404, lead=403)),
    "office:extend": ("get", LEAD_ASSIGNMENT, only({"office"}, others=404, lead=403)),
    "office:chase": ("post", LEAD_ASSIGNMENT, only({"office"}, status=302, others=404, lead=403)),
    # The department workspace: the office reads but never changes here (403); other departments
    # are outsiders (404).
    "department:inbox": ("get", NONE, only(DEPARTMENTS)),
    "department:commitments": ("get", NONE, only(DEPARTMENTS)),
    "department:assignment": ("get", LEAD_ASSIGNMENT, only({"lead"}, others=404, office=403)),
    "department:receive": ("post", LEAD_ASSIGNMENT, only({"lead"}, status=302, others=404, office=403)),
    "department:return": ("get", LEAD_ASSIGNMENT, only({"lead"}, others=404, office=403)),
    "department:opinion": ("get", CO_ASSIGNMENT, only({"co"}, others=404, office=403)),
    "department:start_reply": ("get", LEAD_ASSIGNMENT, only({"lead"}, others=404, office=403)),
    "department:reply": ("get", REPLY, only({"lead"}, others=404, office=403)),
    "department:reply_edit": ("get", REPLY, only({"lead"}, status=403, others=404, office=403)),
    "department:reply_preview": ("get", REPLY, only({"lead"}, others=404, office=403)),
    "department:reply_submit": ("post", REPLY, only({"lead"}, status=403, others=404, office=403)),
    "department:reply_issue": ("post", REPLY, only({"lead"}, status=403, others=404, office=403)),
    "department:reply_correct": ("get", REPLY, only({"lead"}, others=404, office=403)),
    "department:commitment_progress": ("get", COMMITMENT, only({"lead"}, others=404, office=403)),
    # Bulk progress: each department its own sheet; confirming with nothing previewed sends it back
    "department:bulk_progress_sheet": ("get", NONE, only(DEPARTMENTS)),
    "department:bulk_progress": ("get", NONE, only(DEPARTMENTS)),
    "department:bulk_progress_confirm": ("post", NONE, only(DEPARTMENTS, status=302)),
    # 回头看: the office runs rounds; a unit answers its own task (other units 404, the office 403)
    "followup:rounds": ("get", NONE, only({"office"})),
    "followup:round_new": ("get", NONE, only({"office"})),
    "followup:round": ("get", ROUND, only({"office"})),
    "followup:round_close": ("post", ROUND, only({"office"}, status=302)),
    "followup:report_xlsx": ("get", ROUND, only({"office"})),
    "followup:report_docx": ("get", ROUND, only({"office"})),
    "followup:task_chase": ("post", TASK, only({"office"}, status=302)),
    "followup:tasks": ("get", NONE, only(DEPARTMENTS)),
    "followup:task": ("get", TASK, only({"lead"}, others=404, office=403, proposer=403, other_delegate=403)),
    # The delegate workspace and feedback
    "delegate:my_proposals": ("get", NONE, only(DELEGATES)),
    "delegate:proposal": ("get", PROPOSAL, only({"proposer"})),
    "delegate:reply": ("get", REPLY, only({"proposer"})),
    "feedback:give": ("get", REPLY, only({"proposer"})),
    # Drafting online: a draft is its writer's alone (other delegates 404, nobody else has these
    # pages: 403); an invitation is its invitee's (the draft's writer reads the draft on its own page)
    "members:draft_new": ("get", NONE, only(DELEGATES)),
    "members:draft_edit": ("get", DRAFT, only({"proposer"}, other_delegate=404)),
    "members:draft_preview": ("get", DRAFT, only({"proposer"}, other_delegate=404)),
    "members:draft_invite": ("post", DRAFT, only({"proposer"}, status=302, other_delegate=404)),
    "members:draft_submit": ("post", DRAFT, only({"proposer"}, status=302, other_delegate=404)),
    "members:invitation_withdraw": (
        "post",
        lambda ids: [ids["draft"], ids["invitation"]],
        only({"proposer"}, status=302, other_delegate=404),
    ),
    "members:invitation": ("get", INVITATION, only({"other_delegate"}, proposer=404)),
    "office:sessions": ("get", NONE, only({"office"})),
    "feedback:record": ("get", REPLY, only({"office"})),
    # Letters in, for the office
    "letters:import": ("get", NONE, only({"office"})),
    "letters:import_confirm": ("post", NONE, only({"office"}, status=302)),
    # Open data: everything public, for everyone
    "opendata:stats": ("get", NONE, everyone(200)),
    # Unit scores: the office's page; the public copy answers 404 unless TRACKER_PUBLISH_SCORES is on
    "opendata:office_scores": ("get", NONE, only({"office"})),
    "opendata:scores": ("get", NONE, everyone(404)),
    "opendata:schema": ("get", NONE, everyone(200)),
    "opendata:docs": ("get", NONE, everyone(200)),
    "opendata:api-root": ("get", NONE, everyone(200)),
    "opendata:proposal-list": ("get", NONE, everyone(200)),
    "opendata:proposal-detail": ("get", PROPOSAL, everyone(200)),
    "opendata:department-list": ("get", NONE, everyone(200)),
    "opendata:department-detail": ("get", DEPARTMENT, everyone(200)),
    "opendata:reply-list": ("get", NONE, everyone(200)),
    "opendata:reply-detail": ("get", REPLY, everyone(200)),
    "opendata:commitment-list": ("get", NONE, everyone(200)),
    "opendata:commitment-detail": ("get", COMMITMENT, everyone(200)),
    "opendata:stats-list": ("get", NONE, everyone(200)),
    "opendata:replies-rss": ("get", NONE, everyone(200)),
    "opendata:replies-atom": ("get", NONE, everyone(200)),
    "opendata:department-replies-rss": ("get", DEPARTMENT, everyone(200)),
    "opendata:department-replies-atom": ("get", DEPARTMENT, everyone(200)),
}


def test_every_view_has_a_row():
    missing = sorted(all_view_names() - set(MATRIX))
    assert missing == [], f"views without a row in the permission matrix: {missing}"


def test_no_row_names_a_view_that_is_gone():
    assert sorted(set(MATRIX) - all_view_names()) == []


def outcome_of(response):
    if response.status_code == 302 and "/accounts/login/" in response.get("Location", ""):
        return "login"
    return response.status_code


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_each_persona_gets_exactly_its_outcome(name, ids, client_for):
    from django.urls import reverse

    method, args, expected = MATRIX[name]
    url = reverse(name, args=args(ids))
    got = {persona: outcome_of(getattr(client_for(persona), method)(url)) for persona in PERSONAS}
    assert got == expected


# Before the office publishes it, an issued reply's letter (print view and .docx) is for the office,
# the answering department (offices still stamp and post paper letters) and the proposers; the
# co-handling department, other departments and other delegates do not know it exists.
UNPUBLISHED_LETTER = {
    "office": 200,
    "lead": 200,
    "co": 404,
    "unrelated": 404,
    "proposer": 200,
    "other_delegate": 404,
    "anonymous": "login",
}


@pytest.mark.parametrize("name", ["letters:docx", "letters:print"])
def test_an_issued_unpublished_letter_is_printed_and_downloaded_by_its_own_department(
    name, ids, client_for, seed_letter
):
    from django.urls import reverse

    from responses.models import Response

    Response.objects.filter(pk=seed_letter.pk).update(status=Response.Status.ISSUED, published_on=None)
    url = reverse(name, args=[seed_letter.pk])
    got = {persona: outcome_of(client_for(persona).get(url)) for persona in PERSONAS}
    assert got == UNPUBLISHED_LETTER


# Nothing unsubmitted reaches the office or the public: a member's draft is not found on any of
# their pages, whoever asks (its writer reads it on the drafting pages only).
DRAFT_HIDDEN = {
    "office:proposal_detail": ("get", {"office": 404}),
    "office:review": ("get", {"office": 404}),
    "office:assign": ("get", {"office": 404}),
    "office:publication": ("get", {"office": 404}),
    "proposals:detail": ("get", {"office": 404, "anonymous": 404, "other_delegate": 404}),
    "opendata:proposal-detail": ("get", {"office": 404, "anonymous": 404}),
    "proposals:follow": ("get", {"anonymous": 404}),
}


@pytest.mark.parametrize("name", sorted(DRAFT_HIDDEN))
def test_a_draft_is_not_found_on_office_or_public_pages(name, ids, client_for):
    from django.urls import reverse

    method, expected = DRAFT_HIDDEN[name]
    url = reverse(name, args=[ids["draft"]])
    got = {persona: outcome_of(getattr(client_for(persona), method)(url)) for persona in expected}
    assert got == expected
