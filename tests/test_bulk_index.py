"""Batch writes index once at the end (proposals/bulk.py, search.signals.deferred_indexing): the Excel
intake and batch 立案 leave the search index, the similarity bands and the page-cache bumps exactly as
one-by-one saves do, a refused batch leaves no index row behind, and confirming more rows costs no
more index queries."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.urls import reverse

from pagecache import scopes
from proposals import bulk, workflow
from proposals.models import Proposal, Proposer
from responses import bulk_progress
from responses.models import Commitment
from search import signals
from search.api import filter_proposals
from search.models import SearchDocument, SimilarityBand
from search.similarity import similar_to
from tests.test_office_batch import BATCH, register_data, submitted  # noqa: F401 — a fixture
from tests.test_office_intake import row, upload

pytestmark = pytest.mark.django_db

BODIES = {
    "关于发展石墨烯产业的建议": "广西石墨资源丰富。建议如下：一、建设石墨烯产业园；二、设立专项基金。",
    "关于加快石墨烯产业发展的建议": "广西石墨资源丰富。建议如下：一、设立专项基金；二、建设石墨烯产业园。",
    "关于保护漓江的建议": "漓江是广西的名片。建议：1.治理沿岸污染；2.控制游船数量。",
    "关于发展林下经济的建议": "林下经济带动山区群众增收，建议加大扶持。",
}
PEOPLE = {
    "关于发展石墨烯产业的建议": "王五、赵六",
    "关于加快石墨烯产业发展的建议": "赵六",
    "关于保护漓江的建议": "蒋俏玲",
    "关于发展林下经济的建议": "孙七",
}
TERMS = ["石墨烯", "漓江", "广西", "专项基金", "增收"]


class Rollback(Exception):
    pass


def sheet_rows():
    rows = []
    for title, body in BODIES.items():
        values = row(title, PEOPLE[title], "委员" if PEOPLE[title] != "蒋俏玲" else "代表")
        values[3] = body
        rows.append(values)
    return rows


def index_state(titles):
    """What a reader of the index sees for these proposals, keyed by title (ids differ between runs)."""
    proposals = Proposal.objects.filter(title__in=titles)
    title_of = dict(proposals.values_list("pk", "title"))
    documents = {
        title_of[d["proposal_id"]]: {k: v for k, v in d.items() if k != "proposal_id"}
        for d in SearchDocument.objects.filter(proposal__in=proposals).values()
    }
    bands = {}
    for proposal_id, band, value in SimilarityBand.objects.filter(proposal__in=proposals).values_list(
        "proposal_id", "band", "hash"
    ):
        bands.setdefault(title_of[proposal_id], set()).add((band, value))
    hits = {term: sorted(filter_proposals(proposals, term).values_list("title", flat=True)) for term in TERMS}
    similar = {
        proposal.title: [
            match.proposal.title for match in similar_to(proposal) if match.proposal.title in titles
        ]
        for proposal in proposals
    }
    return documents, bands, hits, similar


def one_by_one_state(actor):
    """The index after logging the rows one by one with the workflow step, rolled back afterwards."""
    session = Proposal.objects.get(number="20200287").session
    jiang = Proposer.objects.get(name="蒋俏玲")
    with pytest.raises(Rollback), transaction.atomic():
        for title, body in BODIES.items():
            names = PEOPLE[title].split("、")
            workflow.log_proposal(
                session=session,
                kind=Proposal.Kind.PROPOSAL,
                title=title,
                body=body,
                submitted_on=datetime.date(2020, 1, 15),
                proposers=[jiang if name == "蒋俏玲" else (name, Proposer.Kind.MEMBER) for name in names],
                actor=actor,
            )
        state = index_state(BODIES)
        raise Rollback
    return state


def test_the_intake_indexes_its_rows_as_logging_them_one_by_one(office, personas):
    expected = one_by_one_state(personas["office"])
    assert not SearchDocument.objects.filter(title__in=BODIES).exists()
    batch = upload(office, sheet_rows()).context["batch"]
    response = office.post(reverse("office:intake_confirm", args=[batch.pk]), follow=True)
    assert "已导入4件提案" in response.content.decode()
    documents, bands, hits, similar = index_state(BODIES)
    assert (documents, bands, hits, similar) == expected
    assert hits["石墨烯"] == ["关于加快石墨烯产业发展的建议", "关于发展石墨烯产业的建议"]
    assert len(bands["关于保护漓江的建议"]) == 16
    # The reworded copy with its suggestions swapped is found by its bands.
    assert "关于加快石墨烯产业发展的建议" in similar["关于发展石墨烯产业的建议"]


def test_a_refused_row_leaves_no_index_row_behind(office, personas, monkeypatch):
    documents, bands = SearchDocument.objects.count(), SimilarityBand.objects.count()
    batch = upload(office, sheet_rows()).context["batch"]
    original = workflow.log_proposal

    def refuse_the_last(**kwargs):
        if kwargs["title"] == "关于发展林下经济的建议":
            raise ValidationError("案由与已立案提案冲突")
        return original(**kwargs)

    monkeypatch.setattr(workflow, "log_proposal", refuse_the_last)
    response = office.post(reverse("office:intake_confirm", args=[batch.pk]))
    assert "第5行：案由与已立案提案冲突，整个文件未导入" in response.content.decode()
    assert (SearchDocument.objects.count(), SimilarityBand.objects.count()) == (documents, bands)
    assert not Proposal.objects.filter(title__in=BODIES).exists()
    assert signals.pending() is None  # the next request indexes at once again


def test_a_batch_left_by_an_error_writes_nothing_and_the_next_save_indexes_at_once(seed_letter):
    proposal = seed_letter.proposal
    with pytest.raises(Rollback), transaction.atomic(), bulk.batch_writes():
        proposal.title = "关于发展深海养殖的建议"
        proposal.save(update_fields=["title"])
        assert SearchDocument.objects.get(proposal=proposal).title != proposal.title  # not yet
        raise Rollback
    assert signals.pending() is None
    proposal.refresh_from_db()
    proposal.title = "关于发展深海养殖的建议"
    proposal.save(update_fields=["title"])
    assert filter_proposals(Proposal.objects.all(), "深海养殖").get() == proposal


def test_batch_registration_indexes_the_numbers_as_one_by_one(office, personas, submitted):  # noqa: F811
    numbers = [str(20200288 + n) for n in range(BATCH)]
    titles = [p.title for p in submitted]
    with pytest.raises(Rollback), transaction.atomic():
        for proposal, number in zip(submitted, numbers, strict=True):
            workflow.register(
                proposal, number=number, registered_on=datetime.date(2020, 3, 1), actor=personas["office"]
            )
        expected = (
            SearchDocument.objects.filter(title__in=titles).order_by("number").values_list("number", "title")
        )
        expected = list(expected)
        raise Rollback
    assert expected[0] == ("20200288", "关于批量办理第1件事项的建议")
    response = office.post(reverse("office:batch_register"), register_data(submitted, numbers))
    assert response.status_code == 302
    documents = SearchDocument.objects.filter(title__in=titles).order_by("number")
    assert list(documents.values_list("number", "title")) == expected
    assert filter_proposals(Proposal.objects.all(), "20200307").get().title == "关于批量办理第20件事项的建议"


def test_batch_registration_bumps_each_proposals_pages_once(
    office,
    personas,
    submitted,  # noqa: F811
    page_cache,
    django_capture_on_commit_callbacks,
    monkeypatch,
):
    bumps = []
    original = scopes.scopes_to_bump

    def spy(refs):
        bumps.append(original(refs))
        return bumps[-1]

    monkeypatch.setattr(scopes, "scopes_to_bump", spy)
    numbers = [str(20200288 + n) for n in range(BATCH)]
    with django_capture_on_commit_callbacks(execute=True):
        office.post(reverse("office:batch_register"), register_data(submitted, numbers))
    assert len(bumps) == 1
    assert {"lists", *(f"proposal:{p.pk}" for p in submitted)} <= bumps[0]
    assert "all" not in bumps[0]


# The request (session, user, profile), the batch locked and checked again (7), the proposers on file,
# the sessions, the new proposers, the search documents (4) and bands, the batch marked confirmed,
# savepoints. (SQLite cuts more than 20 proposals' bands into several inserts.)
FIXED = 23


def confirm_queries(office, count, django_assert_num_queries, expected):
    rows = [row(f"关于推进第{n}项重点工作的建议", f"新委员{n}") for n in range(count)]
    batch = upload(office, rows).context["batch"]
    with django_assert_num_queries(expected):
        office.post(reverse("office:intake_confirm", args=[batch.pk]))
    assert Proposal.objects.filter(status=Proposal.Status.SUBMITTED).count() == count


# Per row, what workflow.log_proposal costs (savepoint, proposal, history, proposer link, event, release);
# the new proposers, the search documents and the bands are written once for all rows.
@pytest.mark.parametrize("count", [5, 20])
def test_confirming_costs_six_queries_a_row_and_the_index_a_fixed_few(
    office, personas, count, django_assert_num_queries
):
    confirm_queries(office, count, django_assert_num_queries, FIXED + 6 * count)


def test_progress_reported_in_bulk_rewrites_the_proposals_document_once(seed_letter, personas):
    commitments = Commitment.objects.filter(item__response=seed_letter).order_by("item__position", "position")
    rows = [
        {
            "line": n,
            "id": str(c.pk),
            "status": "in_progress",
            "text": "推进中。",
            "reported_on": "",
            "due_on": "",
        }
        for n, c in enumerate(commitments, 2)
    ]
    document_writes = []

    def spy(execute, sql, *args):
        if sql.startswith('INSERT INTO "search_searchdocument"'):
            document_writes.append(sql)
        return execute(sql, *args)

    with connection.execute_wrapper(spy):
        preview = bulk_progress.apply(rows, personas["lead"].profile.department, personas["lead"])
    assert preview.ok and len(preview.changes) == 6
    assert len(document_writes) == 1  # one per commitment before
    assert filter_proposals(Proposal.objects.all(), commitments[0].text[:6]).get() == seed_letter.proposal
    assert set(Commitment.objects.filter(item__response=seed_letter).values_list("status", flat=True)) == {
        "in_progress"
    }
