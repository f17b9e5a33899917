"""Scoped invalidation: a write makes stale exactly the cached pages that show what it changed — its
proposal's page, letters, commitments and departments' pages, and the lists — and leaves every
other proposal's pages served from the cache."""

import datetime
from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from pagecache import scopes
from pagecache.models import PageVersion
from proposals.leads import ProposalLead
from proposals.models import Assignment, Department, Event, Proposal
from responses.models import Commitment, CommitmentCitation, CommitmentProgress, Feedback, Response
from tests.factories import make_assignment, make_letter, make_proposal

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_letter(seed_letter):
    """A second published proposal with its own published letter, lead unit and commitments."""
    proposal = make_proposal(session=seed_letter.proposal.session, title="关于发展林下经济的提案")
    lead = make_assignment(proposal)
    return make_letter(proposal=proposal, department=lead.department, issued_on=datetime.date(2025, 6, 1))


@pytest.fixture
def committed(page_cache, django_capture_on_commit_callbacks):
    """Run a block as one committed transaction: its version bumps happen at its end."""

    def run():
        return django_capture_on_commit_callbacks(execute=True)

    return run


def pages_of(reply):
    commitment = Commitment.objects.filter(item__response=reply).order_by("pk").first()
    return {
        "proposal": reverse("proposals:detail", args=[reply.proposal_id]),
        "letter": reverse("responses:letter", args=[reply.pk]),
        "commitment": reverse("commitments:detail", args=[commitment.pk]),
        "department": reverse("units:detail", args=[reply.department_id]),
    }


LISTS = {
    "home": "/",
    "proposals": "/proposals/",
    "commitments": "/commitments/",
    "departments": "/departments/",
    "stats": "/stats/",
    "search": "/search/?q=稀土",
}


def served_from_cache(client, url):
    """Whether a visit is answered from the cache: no template is rendered for it. (Counting queries
    would not tell: a request after a committed write recounts the statistics once it is answered.)"""
    response = client.get(url)
    assert response.status_code == 200, url
    return not response.templates


def warm(client, urls):
    for url in urls:
        assert client.get(url).status_code == 200, url
        assert served_from_cache(client, url), url


def versions():
    return dict(PageVersion.objects.values_list("scope", "token"))


@pytest.fixture
def bumped_by(committed):
    """The scopes whose version a write, committed on its own, changed."""

    def bumped(write):
        before = versions()
        with committed():
            write()
        after = versions()
        return {scope for scope, token in after.items() if before.get(scope) != token}

    return bumped


class TestAWriteToOneProposal:
    def test_leaves_every_other_proposals_pages_cached_and_shows_at_once_on_its_own(
        self, client, seed_letter, other_letter, committed
    ):
        mine, others = pages_of(seed_letter), pages_of(other_letter)
        warm(client, [*mine.values(), *others.values(), *LISTS.values()])
        with committed():
            proposal = Proposal.objects.get(pk=seed_letter.proposal_id)
            proposal.title = "关于加快发展氢能产业的提案"
            proposal.save()
        for kind, url in others.items():
            assert served_from_cache(client, url), kind
        for kind, url in {**mine, **LISTS}.items():
            assert not served_from_cache(client, url), kind
        assert "关于加快发展氢能产业的提案" in client.get(mine["proposal"]).content.decode()
        assert "关于加快发展氢能产业的提案" in client.get(LISTS["proposals"]).content.decode()

    def test_progress_on_a_commitment_leaves_the_other_letter_cached(
        self, client, seed_letter, other_letter, committed
    ):
        others = pages_of(other_letter)
        warm(client, [*others.values(), LISTS["commitments"]])
        commitment = Commitment.objects.filter(item__response=seed_letter).order_by("pk").first()
        url = reverse("commitments:detail", args=[commitment.pk])
        warm(client, [url])
        with committed():
            CommitmentProgress.objects.create(
                commitment=commitment, reported_on=timezone.localdate(), text="中试平台已投入运行。"
            )
        assert "中试平台已投入运行。" in client.get(url).content.decode()
        assert not served_from_cache(client, LISTS["commitments"])
        assert all(served_from_cache(client, page) for page in others.values())

    def test_a_rolled_back_write_bumps_nothing(self, client, seed_letter, committed):
        before = PageVersion.objects.tokens([scopes.LISTS, f"proposal:{seed_letter.proposal_id}"])
        with committed():
            try:
                with transaction.atomic():
                    Proposal.objects.filter(pk=seed_letter.proposal_id).get().save()
                    raise RuntimeError
            except RuntimeError:
                pass
        assert PageVersion.objects.tokens(before) == before


class TestEachWriteBumpsExactlyItsScopes:
    @pytest.fixture
    def pages(self, seed_letter, other_letter, page_cache):
        proposal = seed_letter.proposal
        replies = Response.objects.filter(proposal=proposal)
        commitments = Commitment.objects.filter(item__response__proposal=proposal)
        departments = {
            *Assignment.objects.filter(proposal=proposal).values_list("department_id", flat=True),
            *replies.values_list("department_id", flat=True),
            *commitments.exclude(owner=None).values_list("owner_id", flat=True),
        }
        return {
            scopes.LISTS,
            f"proposal:{proposal.pk}",
            *(f"reply:{pk}" for pk in replies.values_list("pk", flat=True)),
            *(f"commitment:{pk}" for pk in commitments.values_list("pk", flat=True)),
            *(f"department:{pk}" for pk in departments),
        }

    def writes(self, seed_letter):
        proposal = seed_letter.proposal
        commitment = Commitment.objects.filter(item__response=seed_letter).order_by("pk").first()
        assignment = Assignment.objects.filter(proposal=proposal).first()
        return {
            "proposal edited": lambda: Proposal.objects.get(pk=proposal.pk).save(),
            "reply published": lambda: Response.objects.get(pk=seed_letter.pk).save(),
            "assignment changed": lambda: Assignment.objects.get(pk=assignment.pk).save(),
            "progress reported": lambda: CommitmentProgress.objects.create(
                commitment=commitment, reported_on=timezone.localdate(), text="已推进。"
            ),
            "commitment updated": lambda: Commitment.objects.get(pk=commitment.pk).save(),
            "timeline event": lambda: proposal.record(Event.Kind.PUBLISHED, message="提案公开", public=True),
            "feedback recorded": lambda: Feedback.objects.create(
                response=seed_letter,
                proposer=proposal.proposers.first(),
                rating=Feedback.Rating.SATISFIED,
            ),
        }

    def test_every_write_to_a_proposal_bumps_its_pages_and_the_lists_only(
        self, seed_letter, other_letter, pages, bumped_by
    ):
        for name, write in self.writes(seed_letter).items():
            assert bumped_by(write) == pages, name

    def test_a_citation_bumps_the_citing_proposal_and_the_cited_commitment(
        self, seed_letter, other_letter, bumped_by
    ):
        commitment = Commitment.objects.filter(item__response=seed_letter).first()
        bumped = bumped_by(
            lambda: CommitmentCitation.objects.create(commitment=commitment, proposal=other_letter.proposal)
        )
        assert {f"commitment:{commitment.pk}", f"proposal:{other_letter.proposal_id}"} <= bumped
        assert {f"proposal:{seed_letter.proposal_id}", f"reply:{other_letter.pk}"} <= bumped

    def test_renaming_a_department_bumps_every_page(self, seed_letter, bumped_by):
        department = Department.objects.get(pk=seed_letter.department_id)
        department.name = "自治区科学技术厅"
        assert bumped_by(department.save) == {scopes.ALL}

    def test_a_write_no_public_page_shows_bumps_nothing(self, personas, bumped_by):
        assert bumped_by(personas["office"].profile.save) == set()

    def test_an_anonymous_lead_leaves_every_cached_page_alone(self, seed_letter, bumped_by):
        """/leads/ is not cached: were a lead a write to `all`, anyone could empty the page cache."""
        create = lambda: ProposalLead.objects.create(title="关于社区食堂的线索", description="老年人用餐难。")  # noqa: E731
        assert bumped_by(create) == set()

    def test_the_search_index_rebuild_bumps_the_lists(self, seed_letter, bumped_by):
        rebuild = lambda: call_command("rebuild_search_index", stdout=StringIO(), stderr=StringIO())  # noqa: E731
        assert bumped_by(rebuild) == {scopes.LISTS}


class TestTheKey:
    def test_a_hit_reads_every_version_in_one_query(self, client, seed_letter, page_cache):
        url = pages_of(seed_letter)["letter"]
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        (query,) = queries.captured_queries
        assert "pagecache_pageversion" in query["sql"]
        assert f"reply:{seed_letter.pk}" in query["sql"] and "'all'" in query["sql"]

    def test_bumping_all_makes_every_page_stale(self, client, seed_letter, committed):
        urls = [*pages_of(seed_letter).values(), *LISTS.values()]
        warm(client, urls)
        with committed():
            scopes.bump_all()
        assert not any(served_from_cache(client, url) for url in urls)

    def test_with_the_cache_off_pages_are_rendered_and_nothing_is_stored(self, client, seed_letter, settings):
        settings.PUBLIC_PAGE_CACHE_SECONDS = 0
        cache.clear()
        url = pages_of(seed_letter)["letter"]
        assert client.get(url).status_code == 200
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        assert not any("pagecache_pageversion" in query["sql"] for query in queries.captured_queries)
        assert not [key for key in cache._cache if ":pagecache:" in key]

