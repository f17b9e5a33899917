"""Statistics: the figures on a small hand-made dataset, counted by hand; stored and counted afresh alike;
query counts. Snapshot invalidation: test_stats_snapshots.py."""

import datetime

import pytest
from django.utils import timezone
from factories import (
    make_assignment,
    make_committee,
    make_department,
    make_promise,
    make_proposal,
    make_proposer,
    make_response,
    make_session,
)

from opendata import stats
from proposals.models import Assignment, Proposal
from responses.models import Commitment, Feedback, Response

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
P = Proposal.Status
LEAD, CO, SEPARATE = Assignment.Role.LEAD, Assignment.Role.CO_HANDLING, Assignment.Role.SEPARATE


def days(n):
    return TODAY + datetime.timedelta(days=n)


def reply(
    proposal, department, issued_on, result_class, *, version=1, status=Response.Status.PUBLISHED, **fields
):
    return make_response(
        proposal,
        department,
        version=version,
        issued_on=issued_on,
        result_class=result_class,
        status=status,
        published_on=issued_on if status == Response.Status.PUBLISHED else None,
        **fields,
    )


def build_dataset():
    """Two sessions, three departments; the expected figures are worked out in the tests below."""
    committee = make_committee()
    s1 = make_session(committee, year=2023, term=12, number=1)
    s2 = make_session(committee, year=2024, term=12, number=2)
    d1, d2, d3 = make_department("甲局"), make_department("乙局"), make_department("丙局")
    x = make_proposer("王委员")

    # Session 1: a draft, one under review, one not registered, one merged, five registered.
    make_proposal(s1, status=P.DRAFT, number="", is_published=False)
    make_proposal(s1, status=P.SUBMITTED, number="", is_published=False)
    make_proposal(
        s1, status=P.NOT_REGISTERED, number="", not_registered_reason=Proposal.NotRegisteredReason.TOO_VAGUE
    )
    # p5: d1 leads, replied in time (A), rated 满意; two commitments, one done, one past due.
    p5 = make_proposal(s1, status=P.CLOSED, is_key=True, is_published=False)
    make_proposal(s1, status=P.MERGED, merged_into=p5)
    make_assignment(p5, d1, LEAD, assigned_on=days(-90), due_on=days(-30))
    r5 = reply(p5, d1, days(-40), "A")
    Feedback.objects.create(response=r5, proposer=x, rating=Feedback.Rating.SATISFIED)
    make_promise(reply=r5, status=Commitment.Status.DONE, due_on=days(-60))
    make_promise(reply=r5, position=2, status=Commitment.Status.PLANNED, due_on=days(-1))
    # p6: d1 leads, replied late (B, 不满意), re-handled: version 2 (A, 基本满意) replaces it.
    p6 = make_proposal(s1, status=P.FEEDBACK_RECEIVED)
    make_assignment(p6, d1, LEAD, assigned_on=days(-90), due_on=days(-30))
    r6a = reply(p6, d1, days(-20), "B", status=Response.Status.ISSUED)
    Feedback.objects.create(response=r6a, proposer=x, rating=Feedback.Rating.UNSATISFIED)
    make_promise(reply=r6a, status=Commitment.Status.PLANNED, due_on=days(-10))  # replaced: not counted
    r6b = reply(p6, d1, days(-5), "A", version=2)
    Feedback.objects.create(response=r6b, proposer=x, rating=Feedback.Rating.BASICALLY_SATISFIED)
    make_promise(reply=r6b, status=Commitment.Status.IN_PROGRESS, due_on=days(30), owner=d2)
    # p7: d2 leads, past due without a reply (its draft does not count); d3 co-handles.
    p7 = make_proposal(s1, status=P.IN_HANDLING)
    make_assignment(p7, d2, LEAD, assigned_on=days(-60), due_on=days(-1))
    make_assignment(p7, d3, CO, assigned_on=days(-60), due_on=days(-30))
    reply(p7, d2, None, "C", status=Response.Status.DRAFT)
    # p8: separate handling by d1 (replied in time, C) and d2 (not yet, not yet due).
    p8 = make_proposal(s1, status=P.ASSIGNED)
    make_assignment(p8, d1, SEPARATE, assigned_on=days(-20), due_on=days(10))
    make_assignment(p8, d2, SEPARATE, position=2, assigned_on=days(-20), due_on=days(10))
    r8 = reply(p8, d1, days(-2), "C")
    make_promise(reply=r8, status=Commitment.Status.DROPPED, due_on=days(-5))
    # p9: registered; d3 returned it, nobody answers yet.
    p9 = make_proposal(s1, status=P.REGISTERED)
    make_assignment(p9, d3, LEAD, assigned_on=days(-10), returned_on=days(-8), return_reason="不属本单位职责")

    # Session 2: one replied in time (B, issued, disclosed on request only), one in handling, a draft.
    p10 = make_proposal(s2, status=P.REPLIED)
    make_assignment(p10, d2, LEAD, assigned_on=days(-40), due_on=days(-10))
    reply(p10, d2, days(-15), "B", status=Response.Status.ISSUED, disclosure=Response.Disclosure.ON_REQUEST)
    p12 = make_proposal(s2, status=P.IN_HANDLING)
    make_assignment(p12, d2, LEAD, assigned_on=days(-10), due_on=days(5))
    make_proposal(s2, status=P.DRAFT, number="")
    return {"s1": s1, "s2": s2, "d1": d1, "d2": d2, "d3": d3}


@pytest.fixture
def dataset():
    return build_dataset()


def figures(row, names):
    return {name: getattr(row, name) for name in names}


class TestSessionTable:
    def test_proposal_counts_and_rates_are_those_counted_by_hand(self, dataset):
        table = stats.compute(TODAY).sessions
        s1, s2 = table.row(dataset["s1"].pk), table.row(dataset["s2"].pk)
        names = ["received", "registered", "merged", "not_registered", "under_review", "replied", "on_time"]
        names += ["overdue", "key_proposals"]
        # received: all but the draft; replied: p5, p6 (p8 waits for d2); on time: p5 only (p6 late).
        assert figures(s1, names) == {
            "received": 8,
            "registered": 5,
            "merged": 1,
            "not_registered": 1,
            "under_review": 1,
            "replied": 2,
            "on_time": 1,
            "overdue": 1,
            "key_proposals": 1,
        }
        assert (s1.registration_rate, s1.reply_rate, s1.on_time_rate) == (62.5, 40.0, 20.0)
        assert figures(s2, names) == {
            "received": 2,
            "registered": 2,
            "merged": 0,
            "not_registered": 0,
            "under_review": 0,
            "replied": 1,
            "on_time": 1,
            "overdue": 0,
            "key_proposals": 0,
        }
        assert (s2.registration_rate, s2.reply_rate, s2.on_time_rate) == (100.0, 50.0, 50.0)

    def test_classes_ratings_and_commitments_count_the_current_reply_and_latest_rating(self, dataset):
        table = stats.compute(TODAY).sessions
        s1, s2 = table.row(dataset["s1"].pk), table.row(dataset["s2"].pk)
        # p6's version 1 (B, 不满意, a past-due commitment) is replaced by version 2.
        assert figures(s1, ["class_a", "class_b", "class_c", "class_d"]) == {
            "class_a": 2,
            "class_b": 0,
            "class_c": 1,
            "class_d": 0,
        }
        assert figures(s1, ["ratings", "satisfied", "basically_satisfied", "unsatisfied"]) == {
            "ratings": 2,
            "satisfied": 1,
            "basically_satisfied": 1,
            "unsatisfied": 0,
        }
        assert (s1.satisfied_rate, s1.basically_satisfied_rate) == (50.0, 50.0)
        names = ["commitments", "commitments_done", "commitments_in_progress", "commitments_overdue"]
        names.append("commitments_dropped")
        assert figures(s1, names) == {
            "commitments": 4,
            "commitments_done": 1,
            "commitments_in_progress": 1,
            "commitments_overdue": 1,
            "commitments_dropped": 1,
        }
        assert (s2.class_b, s2.ratings, s2.satisfied_rate, s2.commitments) == (1, 0, None, 0)

    def test_sessions_run_oldest_first_and_the_totals_add_up(self, dataset):
        table = stats.compute(TODAY).sessions
        assert [row.key for row in table.rows] == [dataset["s1"].pk, dataset["s2"].pk]
        assert table.rows[0].label == "2023年十二届一次"
        total = stats.totals(table)
        assert (total.received, total.registered, total.replied, total.on_time) == (10, 7, 3, 2)
        assert (total.registration_rate, total.reply_rate, total.on_time_rate) == (70.0, 42.9, 28.6)


class TestDepartmentTable:
    def test_each_unit_is_counted_on_its_own_assignments(self, dataset):
        table = stats.compute(TODAY).department_table()
        d1, d2, d3 = (table.row(dataset[name].pk) for name in ("d1", "d2", "d3"))
        names = ["assigned", "co_handling", "replied", "on_time", "overdue", "class_a", "class_b", "class_c"]
        # d1: p5 and p6 as lead, p8 separately; on time p5 and p8.
        assert figures(d1, names) == {
            "assigned": 3,
            "co_handling": 0,
            "replied": 3,
            "on_time": 2,
            "overdue": 0,
            "class_a": 2,
            "class_b": 0,
            "class_c": 1,
        }
        assert (d1.reply_rate, d1.on_time_rate) == (100.0, 66.7)
        # d2: p7 (overdue), p8 (not yet due), p10 (in time), p12 (not yet due); its draft is not counted.
        assert figures(d2, names) == {
            "assigned": 4,
            "co_handling": 0,
            "replied": 1,
            "on_time": 1,
            "overdue": 1,
            "class_a": 0,
            "class_b": 1,
            "class_c": 0,
        }
        assert (d2.reply_rate, d2.on_time_rate) == (25.0, 25.0)
        # d3 co-handles p7 and returned p9: nothing to answer, so no rates.
        assert (d3.assigned, d3.co_handling, d3.reply_rate, d3.on_time_rate) == (0, 1, None, None)

    def test_a_returned_assignment_the_office_kept_is_answered_like_any_other(self, dataset):
        # 维持交办: d3 returned p9 as lead, the office kept it, d3 replied in time.
        p9 = Proposal.objects.get(assignments__department=dataset["d3"], assignments__role=LEAD)
        kept = Assignment.ObjectionDecision.KEPT
        p9.assignments.update(objection_decision=kept, objection_note="属本单位职责", due_on=days(9))
        reply(p9, dataset["d3"], days(-1), "B")
        figures = stats.compute(TODAY)
        d3 = figures.department_table().row(dataset["d3"].pk)
        assert (d3.assigned, d3.replied, d3.on_time, d3.reply_rate) == (1, 1, 1, 100.0)
        s1 = figures.sessions.row(dataset["s1"].pk)
        assert (s1.replied, s1.on_time) == (3, 2)  # p5, p6 and now p9; p5 and p9 on time

    def test_commitments_belong_to_their_owner_else_the_replying_unit(self, dataset):
        table = stats.compute(TODAY).department_table()
        d1, d2 = table.row(dataset["d1"].pk), table.row(dataset["d2"].pk)
        assert (d1.commitments, d1.commitments_done, d1.commitments_overdue, d1.commitments_dropped) == (
            3,
            1,
            1,
            1,
        )
        assert (d2.commitments, d2.commitments_in_progress) == (1, 1)
        assert (d1.ratings, d1.satisfied, d1.basically_satisfied, d2.ratings) == (2, 1, 1, 0)

    def test_a_session_filter_counts_only_that_session(self, dataset):
        table = stats.compute(TODAY).department_table(dataset["s2"].pk)
        assert [row.key for row in table.rows] == [dataset["d2"].pk]
        d2 = table.rows[0]
        assert (d2.assigned, d2.replied, d2.on_time, d2.overdue, d2.class_b) == (2, 1, 1, 0, 1)


class TestQueryCount:
    @pytest.mark.parametrize("extra", [1, 20])
    def test_counting_every_table_takes_nine_queries_whatever_the_data(
        self, dataset, django_assert_num_queries, extra
    ):
        for _ in range(extra):
            proposal = make_proposal(dataset["s1"], status=P.REPLIED)
            make_assignment(proposal, dataset["d3"], LEAD, due_on=days(-3))
            reply(proposal, dataset["d3"], days(-4), "A")
        # sessions; proposals by session; answering assignments by session; then by session and
        # department: assignments, classes, ratings, commitments, 回头看 answers; department names
        with django_assert_num_queries(9):
            figures = stats.compute(TODAY)
            figures.department_table()
            figures.department_table(dataset["s1"].pk)

    @pytest.mark.parametrize("extra", [1, 20])
    def test_a_cold_read_counts_every_session_at_once_and_a_warm_one_only_reads(
        self, dataset, django_assert_num_queries, extra
    ):
        for _ in range(extra):
            make_proposal(dataset["s2"], status=P.SUBMITTED, number="")
        # sessions with their snapshots; the missing snapshot rows; the eight counting queries of
        # compute_sessions (above, less the sessions); the snapshots stored
        with django_assert_num_queries(11):
            stats.session_table()
        with django_assert_num_queries(1):  # sessions with their snapshots
            stats.department_table(dataset["s1"].pk)
        with django_assert_num_queries(1):  # every table of one read from the same load
            figures = stats.current()
            figures.department_table()
            figures.department_table(dataset["s2"].pk)


class TestStoredFigures:
    """Tables assembled from the per-session snapshots equal the tables counted afresh."""

    def test_every_table_matches_a_fresh_count(self, dataset):
        stats.current()  # store the snapshots
        stored, fresh = stats.current(), stats.compute(TODAY)
        assert stored.refreshed == []
        assert stored.sessions.rows == fresh.sessions.rows
        for session_id in (None, dataset["s1"].pk, dataset["s2"].pk, 999999):
            assert stored.department_table(session_id).rows == fresh.department_table(session_id).rows

    def test_a_session_with_nothing_to_count_still_has_its_row(self, dataset):
        empty = make_session(dataset["s1"].committee, year=2025, term=12, number=3)
        row = stats.session_table().row(empty.pk)
        assert (row.received, row.registration_rate) == (0, None)
        assert stats.department_table(empty.pk).rows == []
