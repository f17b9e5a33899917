"""Similar proposals for the office (search/similarity.py and the panels of search/templatetags):
ranking, the near-duplicate benchmark on synthetic data, the panel on the office pages with its
one-click path to 并案, and never on a page anyone else sees."""

import random
import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from benchmarks.near_duplicates import near_duplicate, sentences
from proposals.models import Proposal
from search import similarity
from search.bands import BANDS, band_hashes
from search.models import SimilarityBand, refresh_bigram_frequencies
from search.similarity import pool_for, rank, similar_to
from tests.factories import (
    make_assignment,
    make_commitment,
    make_department,
    make_item,
    make_proposal,
    make_response,
    make_session,
)

HYDROGEN = (
    "近年来，我市氢能产业发展势头良好，已建成加氢站三座。当前氢燃料电池汽车推广应用规模偏小，"
    "加氢站布局不足，制氢成本较高。建议编制氢能产业发展规划，在公交和物流领域推广氢燃料电池汽车，"
    "适度超前布局加氢站建设，支持企业开展可再生能源制氢示范。"
)
ELDERLY = (
    "我市老龄化程度不断加深，农村空巢老人、独居老人增多，养老机构床位利用率不高。建议发展社区嵌入式养老，"
    "推动乡镇敬老院转型为区域养老服务中心，完善高龄津贴和失能老人护理补贴，加强养老护理员队伍建设。"
)
SCHOOL = (
    "城区学校学位紧张，大班额问题突出。建议科学调整中小学校布局，加快新建和改扩建学校，补充教师编制，"
    "促进义务教育优质均衡发展。"
)


@pytest.fixture
def session():
    return make_session(year=2024)


@pytest.mark.django_db
def test_it_ranks_the_proposal_on_the_same_subject_first(session):
    hydrogen = make_proposal(session, title="关于加快氢能产业发展的建议", body=HYDROGEN)
    make_proposal(session, title="关于发展农村养老服务的建议", body=ELDERLY)
    make_proposal(session, title="关于解决城区学校大班额问题的建议", body=SCHOOL)

    ranked = rank("关于推广氢燃料电池汽车的提案", "建议加快加氢站布局，降低制氢成本。", pool_for(session))

    assert ranked[0][0] == hydrogen.pk
    # The others share only boilerplate: ranked far below, or left out altogether.
    assert all(score < ranked[0][1] / 2 for _, score in ranked[1:])


@pytest.mark.django_db
def test_later_sessions_and_other_committees_and_drafts_are_not_compared(session):
    later = make_session(session.committee, term=98, number=1, year=2025)
    elsewhere = make_session(year=2024)
    make_proposal(later, title="关于加快氢能产业发展的建议", body=HYDROGEN)
    make_proposal(elsewhere, title="关于加快氢能产业发展的建议", body=HYDROGEN)
    make_proposal(
        session, title="关于加快氢能产业发展的建议", body=HYDROGEN, status=Proposal.Status.DRAFT, number=""
    )
    earlier_session = make_session(session.committee, term=97, number=1, year=2023)
    earlier = make_proposal(earlier_session, title="关于发展氢能的建议", body=HYDROGEN)
    this = make_proposal(
        session,
        title="关于推动氢能产业发展的提案",
        body=HYDROGEN,
        status=Proposal.Status.SUBMITTED,
        number="",
    )

    elderly = make_proposal(session, title="关于发展农村养老服务的建议", body=ELDERLY)
    school = make_proposal(session, title="关于解决城区学校大班额问题的建议", body=SCHOOL)

    shown = [match.proposal for match in similar_to(this)]

    assert shown[0] == earlier
    assert set(shown) <= {earlier, elderly, school}


@pytest.mark.django_db
def test_a_near_duplicate_of_a_synthetic_proposal_ranks_it_first_in_at_least_95_percent_of_200_trials():
    call_command("generate_synthetic", proposals=250, seed=3, verbosity=0)
    refresh_bigram_frequencies()
    rng = random.Random(14)
    proposals = list(
        Proposal.objects.exclude(status=Proposal.Status.DRAFT).select_related("session").order_by("pk")
    )
    trials = rng.sample(proposals, 200)
    first = 0
    for original in trials:
        title, body = near_duplicate(original.title, original.body, rng)
        ranked = rank(title, body, pool_for(original.session), limit=1)
        first += ranked[0][0] == original.pk

    print(f"near-duplicate ranked first in {first} of 200 trials")
    assert first / 200 >= 0.95


# Beyond SCORE_ALL_UP_TO documents: candidates by MinHash bands and by the title's subject -------


def test_a_copy_with_its_sentences_shuffled_has_the_same_bands_and_another_proposal_none():
    shuffled = "".join(reversed(sentences(HYDROGEN)))

    assert len(band_hashes(HYDROGEN)) == BANDS
    assert band_hashes(shuffled) == band_hashes(HYDROGEN)
    assert not {h for _, h in band_hashes(HYDROGEN)} & {h for _, h in band_hashes(ELDERLY)}
    assert band_hashes("，。") == []


@pytest.fixture
def by_bands(monkeypatch):
    """Every lookup takes the large installation's path, whatever the corpus size."""
    monkeypatch.setattr(similarity, "SCORE_ALL_UP_TO", 0)


@pytest.mark.django_db
def test_by_bands_a_near_duplicate_of_a_synthetic_proposal_still_ranks_it_first_in_95_percent(by_bands):
    call_command("generate_synthetic", proposals=250, seed=3, verbosity=0)
    similarity.refresh()
    rng = random.Random(14)
    proposals = list(
        Proposal.objects.exclude(status=Proposal.Status.DRAFT).select_related("session").order_by("pk")
    )
    first = 0
    for original in rng.sample(proposals, 200):
        title, body = near_duplicate(original.title, original.body, rng)
        ranked = rank(title, body, pool_for(original.session), limit=1)
        first += ranked[0][0] == original.pk

    print(f"by bands: near-duplicate ranked first in {first} of 200 trials")
    assert first / 200 >= 0.95


@pytest.mark.django_db
def test_by_bands_the_subject_finds_a_topical_neighbour_that_shares_no_band(session, by_bands):
    hydrogen = make_proposal(session, title="关于加快氢能产业发展的建议", body=HYDROGEN)
    make_proposal(session, title="关于发展农村养老服务的建议", body=ELDERLY)
    refresh_bigram_frequencies()

    # Its title's rarest bigrams are the hydrogen proposal's; its body shares no five characters with it.
    ranked = rank("关于加快氢能产业发展", "建议公交车逐步换用氢燃料。", pool_for(session))

    assert ranked[0][0] == hydrogen.pk


@pytest.mark.django_db
def test_proposals_loaded_in_bulk_get_their_bands_at_the_next_lookup(session, by_bands):
    make_proposal(session, title="关于发展农村养老服务的建议", body=ELDERLY)
    refresh_bigram_frequencies()
    Proposal.objects.bulk_create(
        [
            Proposal(
                session=session,
                number="20249901",
                status=Proposal.Status.REGISTERED,
                title="关于加快氢能产业发展的建议",
                body=HYDROGEN,
            )
        ]
    )
    loaded = Proposal.objects.get(number="20249901")
    assert not loaded.similarity_bands.exists()

    ranked = rank("关于氢能的提案", HYDROGEN_AGAIN, pool_for(session))

    assert ranked[0][0] == loaded.pk and loaded.similarity_bands.count() == BANDS


@pytest.mark.django_db
def test_a_text_edit_rewrites_the_bands_and_a_status_move_writes_none(session):
    proposal = make_proposal(session, title="关于发展农村养老服务的建议", body=ELDERLY)
    before = set(proposal.similarity_bands.values_list("hash", flat=True))
    assert len(before) == BANDS

    proposal.body = HYDROGEN
    proposal.save()
    assert set(proposal.similarity_bands.values_list("hash", flat=True)) == {
        h for _, h in band_hashes(HYDROGEN)
    }

    fresh = Proposal.objects.get(pk=proposal.pk)
    with CaptureQueriesContext(connection) as counted:
        fresh.move_to(Proposal.Status.CLOSED)
    assert not any("search_similarityband" in q["sql"] for q in counted.captured_queries)


@pytest.mark.django_db
def test_drafts_get_no_bands_until_they_are_submitted(session):
    draft = make_proposal(
        session, title="关于发展农村养老服务的建议", body=ELDERLY, status=Proposal.Status.DRAFT, number=""
    )
    assert not SimilarityBand.objects.filter(proposal=draft).exists()

    draft.move_to(Proposal.Status.SUBMITTED)

    assert SimilarityBand.objects.filter(proposal=draft).count() == BANDS


@pytest.mark.django_db
def test_by_bands_a_lookup_runs_seven_queries_at_most_whatever_the_corpus_size(
    session, by_bands, django_assert_num_queries
):
    for n in range(3):
        make_proposal(session, title=f"关于发展第{n}项养老服务的建议", body=ELDERLY + str(n))
    refresh_bigram_frequencies()
    rank("关于氢能的提案", HYDROGEN, pool_for(session))  # warm: nothing left to give bands

    # Frequencies of the text, latest banded and any newer (2), band candidates, and as fewer than
    # CANDIDATES share a band the subject's; texts, frequencies they add.
    with django_assert_num_queries(7):
        rank("关于养老服务的提案", ELDERLY, pool_for(session))
    for n in range(3, 40):
        make_proposal(session, title=f"关于发展第{n}项养老服务的建议", body=ELDERLY + str(n))
    # Now CANDIDATES share bands with the text: the subject query is spared.
    with django_assert_num_queries(6):
        ranked = rank("关于养老服务的提案", ELDERLY, pool_for(session))
    assert len(ranked) == similarity.SHOWN


# The panel on the office pages ----------------------------------------------------------------

HYDROGEN_AGAIN = "".join(reversed(sentences(HYDROGEN)))


@pytest.fixture
def twins(personas, seed_letter):
    """In the seed letter's session: a registered proposal and a reworded copy still awaiting review;
    in an earlier session, one on the same subject with a lead unit, a class-B reply and a promise."""
    session = seed_letter.proposal.session
    original = make_proposal(
        session,
        number="20209001",
        title="关于加快氢能产业发展的建议",
        body=HYDROGEN,
        status=Proposal.Status.REGISTERED,
        is_published=False,
    )
    copy = make_proposal(
        session,
        number="",
        title="关于推动氢能产业高质量发展的提案",
        body=HYDROGEN_AGAIN,
        status=Proposal.Status.SUBMITTED,
        is_published=False,
    )
    earlier_session = make_session(session.committee, term=99, number=1, year=session.year - 1)
    earlier = make_proposal(
        earlier_session, title="关于布局加氢站推广氢燃料电池汽车的建议", body=HYDROGEN[:90]
    )
    unit = make_department("自治区能源局")
    make_assignment(earlier, unit)
    reply = make_response(earlier, unit, result_class="B")
    item = make_item(reply, 1)
    make_commitment(item)
    return original, copy, earlier


def panel_rows(response):
    html = response.content.decode()
    assert "相似提案" in html
    return html


def test_the_review_page_flags_the_registered_twin_and_offers_to_merge_into_it(office, twins):
    original, copy, earlier = twins

    response = office.get(reverse("office:review", args=[copy.pk]))

    matches = response.context["matches"]
    assert [m.proposal for m in matches][:2] == [original, earlier]
    assert matches[0].is_duplicate and not matches[1].is_duplicate
    expected = f"{reverse('office:review', args=[copy.pk])}?action=merge&amp;merge_into=20209001"
    html = response.content.decode()
    assert "疑似重复" in html and expected in html and "并入此件" in html


def test_the_merge_link_prefills_the_review_and_merging_uses_the_workflow(office, twins):
    original, copy, _ = twins
    url = f"{reverse('office:review', args=[copy.pk])}?action=merge&merge_into={original.number}"

    form = office.get(url).context["form"]
    assert form["action"].value() == "merge" and form["merge_into"].value() == original.number
    office.post(url, {"action": "merge", "merge_into": original.number, "note": ""})

    copy.refresh_from_db()
    assert copy.status == Proposal.Status.MERGED and copy.merged_into == original


def test_the_assignment_page_offers_to_merge_the_waiting_twin_into_this_one(office, twins):
    original, copy, _ = twins

    html = office.get(reverse("office:assign", args=[original.pk])).content.decode()

    assert f"{reverse('office:review', args=[copy.pk])}?action=merge&amp;merge_into=20209001" in html
    assert "将此件并入本案" in html


def test_each_match_shows_session_status_lead_unit_result_class_and_open_commitments(office, twins):
    _, copy, earlier = twins

    response = office.get(reverse("office:proposal_detail", args=[copy.pk]))

    match = next(m for m in response.context["matches"] if m.proposal == earlier)
    assert [a.department.name for a in match.handling_units] == ["自治区能源局"]
    assert match.result_classes == ["B"] and match.open_commitments == 1
    row = re.search(
        rf'<tr class="similar-proposal[^"]*" data-proposal="{earlier.pk}">(.*?)</tr>',
        response.content.decode(),
        re.S,
    )
    cells = re.sub(r"<[^>]+>", "|", row.group(1))
    for shown in (str(earlier.session), earlier.get_status_display(), "自治区能源局", "B", "1"):
        assert shown in cells


def test_the_review_page_runs_a_fixed_number_of_queries(office, twins, django_assert_num_queries):
    _, copy, _ = twins
    office.get(reverse("office:review", args=[copy.pk]))  # counts the bigram frequencies once
    make_proposal(copy.session, title="关于加强氢能安全监管的建议", body=HYDROGEN[:60])

    # The page's own (session, user, profile, proposal, next number, the units for 转意见: 6), then the
    # panel: frequencies of the text's bigrams, texts of the pool, frequencies they add (3; a small
    # corpus is scored whole on both databases), then the five shown, their units, replies, open
    # commitments (4).
    with django_assert_num_queries(13):
        office.get(reverse("office:review", args=[copy.pk]))


# Never shown to anyone but the office -----------------------------------------------------------


@pytest.mark.parametrize("persona", ["lead", "co", "unrelated", "proposer", "other_delegate", "anonymous"])
def test_the_panels_render_nothing_for_anyone_but_the_office(personas, twins, persona):
    original, copy, _ = twins
    request = RequestFactory().get("/")
    request.user = personas[persona] or AnonymousUser()
    template = Template(
        "{% load similar %}[{% similar_proposals copy %}{% assignment_suggestions original %}]"
    )

    html = template.render(Context({"request": request, "copy": copy, "original": original}))

    assert html.strip().replace("\n", "") == "[]"


def test_public_pages_show_no_similar_proposals(client, twins):
    _, _, earlier = twins

    for url in (earlier.get_absolute_url(), reverse("search:search") + "?q=氢能"):
        html = client.get(url).content.decode()
        assert "相似提案" not in html and "疑似重复" not in html
