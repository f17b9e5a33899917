"""One definition of what is public and current (responses/models.py: public_condition,
current_condition), and the bugs it fixed: every public channel follows it.

- A withdrawn proposal takes its letter, print view, Word file, commitments, search hits, API rows and
  feed entries off the public site at once; publishing it again brings them back.
- A corrected reply's commitments appear once everywhere (tracker, API, department page) and are
  reminded once.
- The statistics and the commitments tracker do not count different things under one name.
"""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from proposals.models import Department, SentReminder
from responses.drafting import start_correction
from responses.models import Commitment, Response
from responses.publication import update_publication

pytestmark = pytest.mark.django_db

SEARCHED = "瞪羚企业"  # in a commitment of the seed letter, not in the proposal


def public_channels(client, reply):
    """What an anonymous visitor gets of `reply` on each channel."""
    api_replies = client.get(reverse("opendata:reply-list")).json()["results"]
    api_commitments = client.get(reverse("opendata:commitment-list"), {"page_size": 100}).json()
    tracker = client.get(reverse("commitments:list"))
    search = client.get(reverse("search:search"), {"q": SEARCHED})
    feed = client.get(reverse("opendata:replies-atom")).content.decode()
    return {
        "letter": client.get(reverse("responses:letter", args=[reply.pk])).status_code,
        "print": client.get(reverse("letters:print", args=[reply.pk])).status_code,
        "docx": client.get(reverse("letters:docx", args=[reply.pk])).status_code,
        "proposal": client.get(reverse("proposals:detail", args=[reply.proposal_id])).status_code,
        "tracker": tracker.context["page"].paginator.count,
        "search": [hit.pk for hit in search.context["results"].hits],
        "api_replies": [row["id"] for row in api_replies],
        "api_commitments": api_commitments["count"],
        "feed": reverse("responses:letter", args=[reply.pk]) in feed,
    }


class TestWithdrawingAProposal:
    def test_it_takes_the_letter_off_every_channel_and_brings_it_back(self, client, personas, seed_letter):
        proposal = seed_letter.proposal
        commitments = Commitment.objects.filter(item__response=seed_letter).count()
        assert commitments > 0
        shown = {
            "letter": 200,
            "print": 200,
            "docx": 200,
            "proposal": 200,
            "tracker": commitments,
            "search": [proposal.pk],
            "api_replies": [seed_letter.pk],
            "api_commitments": commitments,
            "feed": True,
        }
        assert public_channels(client, seed_letter) == shown

        update_publication(proposal, is_published=False, is_key=False, actor=personas["office"])
        seed_letter.refresh_from_db()
        assert seed_letter.status == Response.Status.PUBLISHED  # the reply's own box stays ticked
        gone = public_channels(client, seed_letter)
        # print and Word ask an anonymous visitor to log in, as for any reply they may not read
        assert gone == {
            "letter": 404,
            "print": 302,
            "docx": 302,
            "proposal": 404,
            "tracker": 0,
            "search": [],
            "api_replies": [],
            "api_commitments": 0,
            "feed": False,
        }
        assert not Response.objects.public().exists()

        update_publication(proposal, is_published=True, is_key=False, actor=personas["office"])
        assert public_channels(client, seed_letter) == shown


def issue(reply, **fields):
    reply.status = Response.Status.PUBLISHED
    reply.issued_on = reply.issued_on or datetime.date(2025, 6, 1)
    reply.published_on = datetime.date(2025, 6, 2)
    for name, value in fields.items():
        setattr(reply, name, value)
    reply.save()
    return reply


class TestACorrectedReply:
    @pytest.fixture
    def corrected(self, personas, seed_letter):
        correction = start_correction(seed_letter, reason="更正联系人电话", user=personas["lead"])
        return issue(correction)

    def test_its_commitments_appear_once_everywhere(self, client, seed_letter, corrected):
        count = Commitment.objects.filter(item__response=corrected).count()
        assert Commitment.objects.filter(item__response=seed_letter).count() == count  # copied
        assert list(Response.objects.public()) == [corrected]
        assert Commitment.objects.public().count() == count
        channels = public_channels(client, corrected)
        assert channels["tracker"] == count
        assert channels["api_commitments"] == count
        assert channels["api_replies"] == [corrected.pk]
        # the original letter is no longer public: the correction replaces it
        assert client.get(reverse("responses:letter", args=[seed_letter.pk])).status_code == 404
        api_proposal = client.get(reverse("opendata:proposal-detail", args=[corrected.proposal_id])).json()
        assert [reply["id"] for reply in api_proposal["replies"]] == [corrected.pk]
        keji = Department.objects.get(name="自治区科技厅")
        listed = client.get(reverse("units:list")).context["departments"]
        owned = Commitment.objects.public().open().filter(owner=keji).count()
        assert next(d for d in listed if d.pk == keji.pk).open_commitments == owned

    def test_its_overdue_commitments_are_reminded_once(self, seed_letter, corrected, mailoutbox):
        Commitment.objects.update(status=Commitment.Status.PLANNED, due_on=datetime.date(2025, 5, 1))
        call_command("send_reminders", "--today", "2025-06-10", stdout=StringIO(), stderr=StringIO())
        reminded = {key.split(":")[1] for key in SentReminder.objects.values_list("key", flat=True)}
        current = {
            str(pk) for pk in Commitment.objects.filter(item__response=corrected).values_list("pk", flat=True)
        }
        assert reminded == current


class TestCommitmentFigures:
    def test_no_figure_shares_a_name_with_a_status_it_does_not_count(self, client, seed_letter):
        commitments = list(Commitment.objects.filter(item__response=seed_letter).order_by("pk"))
        future = datetime.date.today() + datetime.timedelta(days=365)
        Commitment.objects.update(status=Commitment.Status.PLANNED, due_on=future)
        Commitment.objects.filter(pk=commitments[0].pk).update(status=Commitment.Status.IN_PROGRESS)
        stats = client.get(reverse("opendata:stats")).content.decode()
        assert "承诺推进中" not in stats
        assert "承诺未完成、未到期" in stats and "统计口径" in stats
        tracker = client.get(reverse("commitments:list"))
        assert "计数口径" in tracker.content.decode()
        in_progress = client.get(reverse("commitments:list"), {"status": "in_progress"})
        open_rows = client.get(reverse("commitments:list"), {"status": "open"})
        assert in_progress.context["page"].paginator.count == 1
        assert open_rows.context["page"].paginator.count == len(commitments)
        api = client.get(reverse("opendata:stats-list")).json()
        assert api["totals"]["commitments_in_progress"] == len(commitments)  # planned + in progress


class TestWithThePageCacheOn:
    """The same rule when pages are served from the cache: a step makes stale copies unreachable."""

    def cached_pages(self, reply):
        commitment = Commitment.objects.filter(item__response=reply).order_by("pk").first()
        return {
            "letter": reverse("responses:letter", args=[reply.pk]),
            "proposal": reverse("proposals:detail", args=[reply.proposal_id]),
            "commitment": reverse("commitments:detail", args=[commitment.pk]),
        }

    def statuses(self, client, reply):
        statuses = {name: client.get(url).status_code for name, url in self.cached_pages(reply).items()}
        tracker = client.get(reverse("commitments:list")).content.decode()
        search = client.get(reverse("search:search"), {"q": SEARCHED}).content.decode()
        statuses["tracker"] = reverse("responses:letter", args=[reply.pk]) in tracker
        statuses["search"] = reverse("proposals:detail", args=[reply.proposal_id]) in search
        return statuses

    def test_withdrawing_takes_the_cached_letter_off_at_once_and_publishing_brings_it_back(
        self, client, personas, seed_letter, page_cache, django_capture_on_commit_callbacks
    ):
        shown = {"letter": 200, "proposal": 200, "commitment": 200, "tracker": True, "search": True}
        assert self.statuses(client, seed_letter) == shown
        assert self.statuses(client, seed_letter) == shown  # now from the cache
        for url in self.cached_pages(seed_letter).values():
            assert not client.get(url).templates, url  # served without rendering
        with django_capture_on_commit_callbacks(execute=True):
            update_publication(
                seed_letter.proposal, is_published=False, is_key=False, actor=personas["office"]
            )
        gone = {"letter": 404, "proposal": 404, "commitment": 404, "tracker": False, "search": False}
        assert self.statuses(client, seed_letter) == gone
        assert client.get(reverse("letters:print", args=[seed_letter.pk])).status_code == 302
        assert client.get(reverse("letters:docx", args=[seed_letter.pk])).status_code == 302
        with django_capture_on_commit_callbacks(execute=True):
            update_publication(
                seed_letter.proposal, is_published=True, is_key=False, actor=personas["office"]
            )
        assert self.statuses(client, seed_letter) == shown

    def test_an_issued_correction_takes_the_cached_original_off_at_once(
        self, client, personas, seed_letter, page_cache, django_capture_on_commit_callbacks
    ):
        original = self.cached_pages(seed_letter)["letter"]
        assert client.get(original).status_code == 200
        assert not client.get(original).templates  # cached
        with django_capture_on_commit_callbacks(execute=True):
            correction = start_correction(seed_letter, reason="更正联系人电话", user=personas["lead"])
        assert client.get(original).status_code == 200  # a draft correction replaces nothing yet
        with django_capture_on_commit_callbacks(execute=True):
            issue(correction)
        assert client.get(original).status_code == 404
        assert client.get(reverse("responses:letter", args=[correction.pk])).status_code == 200
