"""Public pages served from the cache to anonymous visitors, and never older than the data they show."""

import datetime
from urllib.parse import unquote

import pytest
from django.core.cache import cache
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from pagecache import scopes
from pagecache.models import PageVersion
from proposals.models import Proposal
from responses.models import Commitment, CommitmentProgress

pytestmark = pytest.mark.django_db


def public_urls(reply):
    commitment = Commitment.objects.filter(item__response=reply).first()
    return [
        reverse("home"),
        reverse("proposals:list"),
        reverse("proposals:detail", args=[reply.proposal_id]),
        reverse("responses:letter", args=[reply.pk]),
        reverse("commitments:list"),
        reverse("commitments:detail", args=[commitment.pk]),
        reverse("units:list"),
        reverse("units:detail", args=[reply.department_id]),
        reverse("search:search") + "?q=稀土",
        reverse("opendata:stats"),
    ]


def test_a_repeated_visit_costs_one_query_and_shows_the_same_page(
    client, seed_letter, page_cache, django_assert_num_queries
):
    for url in public_urls(seed_letter):
        first = client.get(url)
        assert first.status_code == 200, url
        with django_assert_num_queries(1):  # the versions of what the page reads, nothing else
            again = client.get(url)
        assert again.status_code == 200
        assert again.content == first.content, url


def test_cached_pages_carry_no_cookie_and_no_csrf_token(client, seed_letter, page_cache):
    for url in public_urls(seed_letter):
        client.cookies.clear()
        response = client.get(url)
        assert not response.cookies, url
        assert b"csrfmiddlewaretoken" not in response.content, url


def test_the_language_switch_works_from_a_cached_page(client, seed_letter, page_cache):
    client.get(reverse("proposals:list"))
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("proposals:list")})
    assert response.status_code == 302
    english = client.get(reverse("proposals:list"))
    assert english["Content-Language"] == "en"
    assert b"Proposals" in english.content or b"proposals" in english.content
    chinese = client.get(reverse("proposals:list"), HTTP_COOKIE="")
    assert chinese["Content-Language"] == "zh-hans"


def test_a_committed_write_shows_on_the_next_visit(
    client, seed_letter, page_cache, django_capture_on_commit_callbacks
):
    url = reverse("proposals:detail", args=[seed_letter.proposal_id])
    before = client.get(url).content
    assert client.get(url).content == before
    with django_capture_on_commit_callbacks(execute=True):
        proposal = Proposal.objects.get(pk=seed_letter.proposal_id)
        proposal.title = "关于加快发展氢能产业的提案"
        proposal.save()
    after = client.get(url).content.decode()
    assert before != after.encode()
    assert "关于加快发展氢能产业的提案" in after


def test_progress_on_a_commitment_shows_on_the_tracker_at_once(
    client, seed_letter, page_cache, django_capture_on_commit_callbacks
):
    commitment = Commitment.objects.filter(item__response=seed_letter).first()
    url = reverse("commitments:detail", args=[commitment.pk])
    client.get(url)
    with django_capture_on_commit_callbacks(execute=True):
        CommitmentProgress.objects.create(
            commitment=commitment, reported_on=timezone.localdate(), text="已建成稀土新材料中试平台一个。"
        )
    assert "已建成稀土新材料中试平台一个。" in client.get(url).content.decode()


def test_one_bump_per_transaction(seed_letter, page_cache, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        proposal = Proposal.objects.get(pk=seed_letter.proposal_id)
        proposal.title = "一"
        proposal.save()
        proposal.title = "二"
        proposal.save()
    bumps = [callback for callback in callbacks if isinstance(callback, scopes.PendingBump)]
    assert len(bumps) == 1
    page = scopes.scope("proposal", proposal.pk)
    before = PageVersion.objects.tokens([page])
    bumps[0]()
    assert PageVersion.objects.tokens([page]) != before


def test_signed_in_users_get_the_page_rendered_for_them(client_for, seed_letter, page_cache):
    url = reverse("proposals:list")
    office = client_for("office")
    page = office.get(url).content.decode()
    assert "退出" in page  # their own header, not the anonymous copy
    from django.test import Client

    public = Client().get(url).content.decode()
    assert "退出" not in public
    assert "退出" in office.get(url).content.decode()


def test_the_day_is_part_of_the_key(client, seed_letter, page_cache, monkeypatch):
    url = reverse("commitments:list")
    client.get(url)
    today = timezone.localdate()
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: today + datetime.timedelta(days=1))
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    assert len(queries) > 1  # rendered afresh on the new day


def test_pages_that_are_not_found_are_not_cached(client, page_cache, django_assert_num_queries, db):
    url = reverse("proposals:detail", args=[999999])
    assert client.get(url).status_code == 404
    assert client.get(url).status_code == 404
    assert not [key for key in cache._cache if "pagecache" in key]


def cached_pages():
    return [key for key in cache._cache if ":pagecache:" in key]


def test_junk_query_parameters_redirect_to_the_canonical_page_and_add_no_copies(
    client, seed_letter, page_cache
):
    for url in public_urls(seed_letter):
        assert client.get(url).status_code == 200, url
    entries = len(cached_pages())
    for url in public_urls(seed_letter):
        separator = "&" if "?" in url else "?"
        for n in range(5):
            response = client.get(f"{url}{separator}bust={n}")
            assert response.status_code == 301, url
            assert unquote(response["Location"]) == url
    assert len(cached_pages()) == entries


def test_a_known_parameter_given_twice_redirects_to_the_value_the_page_reads(client, seed_letter, page_cache):
    response = client.get(reverse("search:search") + "?q=稀土&q=氢能&utm_source=x")
    assert response.status_code == 301
    assert response["Location"] == reverse("search:search") + "?q=%E6%B0%A2%E8%83%BD"


def test_the_parameters_a_page_reads_still_select_what_it_shows(client, seed_letter, page_cache):
    """Filters, sorting, pages and exports are not junk: each is answered, not redirected."""
    session = seed_letter.proposal.session_id
    for url in [
        reverse("proposals:list") + f"?q=稀土&session={session}&sort=-number&page=1",
        reverse("commitments:list") + "?status=open&overdue=on&page=1",
        reverse("units:detail", args=[seed_letter.department_id]) + "?role=lead&page=1",
        reverse("opendata:stats") + f"?session={session}",
        reverse("search:search") + "?q=稀土&page=1",
    ]:
        assert client.get(url).status_code == 200, url
    export = client.get(reverse("proposals:list") + "?format=csv")
    assert export.status_code == 200 and export["Content-Type"].startswith("text/csv")
    assert "20200287" in client.get(reverse("proposals:list") + "?q=20200287").content.decode()
