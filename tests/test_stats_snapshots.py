"""Statistics snapshots: one per session, read back without counting, recounted after every committed
write (never a minute late), when a deadline passes, and by the refresh_statistics command; a count
that overlaps a write never stores figures that miss it."""

import io

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from factories import make_assignment, make_proposal, make_proposer, make_session
from test_stats import LEAD, P, build_dataset, days, reply

from opendata import stats
from opendata.models import SessionStatistics
from proposals.models import Proposal
from responses.models import Commitment, Feedback, Response, ResponseItem

pytestmark = pytest.mark.django_db


@pytest.fixture
def dataset():
    data = build_dataset()
    stats.current()  # every session's snapshot stored
    return data


def stamps():
    return dict(SessionStatistics.objects.values_list("session_id", "computed_at"))


def session_row(dataset, name):
    return stats.session_table().row(dataset[name].pk)


def proposal(dataset, session, status):
    return Proposal.objects.get(session=dataset[session], status=status)


class TestReading:
    def test_a_second_read_runs_one_query_and_counts_nothing(self, dataset, django_assert_num_queries):
        before = stamps()
        with django_assert_num_queries(1):  # sessions with their snapshots
            figures = stats.current()
            figures.department_table()
            figures.department_table(dataset["s1"].pk)
        assert figures.refreshed == []
        assert stamps() == before
        assert figures.sessions.row(dataset["s1"].pk).received == 8

    def test_each_snapshot_lasts_until_its_first_deadline_ahead_passes(self, dataset):
        # s1: p8 waits for d2 until days(10); r6b's commitment is due days(30). s2: p12 until days(5).
        # What is already overdue or answered moves no more.
        empty = make_session(dataset["s1"].committee, year=2025, term=12, number=3)
        stats.current()
        valid_until = dict(SessionStatistics.objects.values_list("session_id", "valid_until"))
        assert valid_until == {dataset["s1"].pk: days(11), dataset["s2"].pk: days(6), empty.pk: None}


@pytest.mark.django_db(transaction=True)
class TestWrites:
    """A committed write shows on the very next read; the other session is not recounted. These
    tests commit for real: outside a transaction each write commits, and its invalidation runs, at once.
    """

    def test_a_new_proposal(self, dataset):
        before = stamps()
        make_proposal(dataset["s2"], status=P.SUBMITTED, number="")
        figures = stats.current()
        assert figures.refreshed == [dataset["s2"].pk]
        assert figures.sessions.row(dataset["s2"].pk).received == 3
        assert stamps()[dataset["s1"].pk] == before[dataset["s1"].pk]

    def test_an_issued_reply(self, dataset):
        p12 = proposal(dataset, "s2", P.IN_HANDLING)
        assert (session_row(dataset, "s2").replied, session_row(dataset, "s2").class_a) == (1, 0)
        reply(p12, dataset["d2"], days(-1), "A")
        assert (session_row(dataset, "s2").replied, session_row(dataset, "s2").class_a) == (2, 1)
        assert stats.department_table(dataset["s2"].pk).row(dataset["d2"].pk).replied == 2

    def test_a_rating(self, dataset):
        r10 = Response.objects.get(proposal__session=dataset["s2"])
        Feedback.objects.create(response=r10, proposer=make_proposer(), rating=Feedback.Rating.SATISFIED)
        row = session_row(dataset, "s2")
        assert (row.ratings, row.satisfied_rate) == (1, 100.0)

    def test_a_commitment_done(self, dataset):
        late = Commitment.objects.get(status=Commitment.Status.PLANNED, due_on=days(-1))
        row = session_row(dataset, "s1")
        assert (row.commitments_overdue, row.commitments_done) == (1, 1)
        late.status = Commitment.Status.DONE
        late.save()
        row = session_row(dataset, "s1")
        assert (row.commitments_overdue, row.commitments_done) == (0, 2)

    def test_a_deleted_item_takes_its_commitments_along(self, dataset):
        ResponseItem.objects.get(commitments__status=Commitment.Status.DROPPED).delete()
        row = session_row(dataset, "s1")
        assert (row.commitments, row.commitments_dropped) == (3, 0)

    def test_a_proposal_moved_to_another_session_leaves_the_first(self, dataset):
        moved = proposal(dataset, "s1", P.SUBMITTED)
        moved.session = dataset["s2"]
        moved.save()
        assert (session_row(dataset, "s1").received, session_row(dataset, "s2").received) == (7, 3)

    def test_a_proposal_saved_without_its_session_loaded(self, dataset):
        p8 = Proposal.objects.only("is_key").get(pk=proposal(dataset, "s1", P.ASSIGNED).pk)
        p8.is_key = True
        p8.save()
        assert session_row(dataset, "s1").key_proposals == 2

    def test_an_assignment_past_due(self, dataset):
        assigned = make_proposal(dataset["s2"], status=P.ASSIGNED)
        make_assignment(assigned, dataset["d3"], LEAD, assigned_on=days(-20), due_on=days(-2))
        assert session_row(dataset, "s2").overdue == 1
        assert stats.department_table(dataset["s2"].pk).row(dataset["d3"].pk).overdue == 1

    def test_a_renamed_department_shows_its_new_name(self, dataset):
        dataset["d1"].name = "丁局"
        dataset["d1"].save()
        assert stats.department_table().row(dataset["d1"].pk).name == "丁局"
        assert stats.department_table(dataset["s1"].pk).row(dataset["d1"].pk).name == "丁局"

    def test_a_new_session_is_counted_alone(self, dataset):
        new = make_session(dataset["s1"].committee, year=2025, term=12, number=3)
        figures = stats.current()
        assert figures.refreshed == [new.pk]
        assert [row.key for row in figures.sessions.rows][-1] == new.pk

    def test_one_transaction_clears_once_when_it_commits(self, dataset, monkeypatch):
        calls = []
        invalidate = stats.invalidate
        monkeypatch.setattr(stats, "invalidate", lambda *args: calls.append(args) or invalidate(*args))
        with transaction.atomic():
            make_proposal(dataset["s1"], status=P.SUBMITTED, number="")
            make_proposal(dataset["s2"], status=P.SUBMITTED, number="")
            assert calls == [] and stats.current().refreshed == []  # not yet committed
        assert len(calls) == 1
        assert sorted(stats.current().refreshed) == sorted([dataset["s1"].pk, dataset["s2"].pk])

    def test_a_rolled_back_write_clears_nothing(self, dataset):
        before = stamps()
        with pytest.raises(RuntimeError), transaction.atomic():
            make_proposal(dataset["s2"], status=P.SUBMITTED, number="")
            raise RuntimeError
        assert (stats.current().refreshed, stamps()) == ([], before)

    def test_bulk_writers_invalidate_by_hand(self, dataset):
        Proposal.objects.filter(session=dataset["s2"]).update(is_key=True)  # sends no signal
        assert session_row(dataset, "s2").key_proposals == 0
        stats.invalidate([dataset["s2"].pk])
        assert session_row(dataset, "s2").key_proposals == 2  # the draft is not counted


class TestDeadlines:
    def test_overdue_now_moves_when_the_date_does(self, dataset, monkeypatch):
        def on(day):
            monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: day)
            return stats.current()

        before = stamps()
        assert on(days(5)).refreshed == []  # p12 is due that day: not yet overdue
        figures = on(days(6))
        assert figures.refreshed == [dataset["s2"].pk]  # s1 has nothing due before days(11)
        assert (figures.sessions.row(dataset["s2"].pk).overdue, stamps()[dataset["s1"].pk]) == (
            1,
            before[dataset["s1"].pk],
        )
        assert figures.department_table(dataset["s2"].pk).row(dataset["d2"].pk).overdue == 1

        figures = on(days(31))  # p8 past due for d2; r6b's commitment past due
        s1 = figures.sessions.row(dataset["s1"].pk)
        assert (s1.overdue, s1.commitments_in_progress, s1.commitments_overdue) == (2, 0, 2)
        assert figures.sessions.rows == stats.compute(days(31)).sessions.rows


class TestRecount:
    def test_only_the_invalidated_session_is_recounted(self, dataset, django_assert_num_queries):
        before = stamps()
        stats.invalidate([dataset["s2"].pk])
        # sessions with their snapshots; compute_sessions' eight counting queries; the snapshot stored
        with django_assert_num_queries(10):
            figures = stats.current()
        assert figures.refreshed == [dataset["s2"].pk]
        after = stamps()
        assert after[dataset["s1"].pk] == before[dataset["s1"].pk]
        assert after[dataset["s2"].pk] > before[dataset["s2"].pk]

    def test_a_count_overlapping_a_write_is_shown_but_not_stored(self, dataset, monkeypatch):
        counted = stats.compute_sessions

        def written_while_counting(session_ids, today=None):
            snapshots = counted(session_ids, today)
            stats.invalidate(session_ids)  # a write to these sessions commits meanwhile
            return snapshots

        stats.invalidate([dataset["s2"].pk])
        monkeypatch.setattr(stats, "compute_sessions", written_while_counting)
        assert stats.session_table().row(dataset["s2"].pk).received == 2
        assert SessionStatistics.objects.get(pk=dataset["s2"].pk).figures is None
        monkeypatch.undo()
        assert stats.current().refreshed == [dataset["s2"].pk]

    def test_concurrent_counts_never_fail_nor_go_back_in_time(self, dataset):
        s1 = dataset["s1"].pk
        earlier = stats.compute_sessions([s1])
        stats.refresh([s1])  # a second reader, row already there: created again, ignored
        latest = stamps()[s1]
        stats.store(earlier.values())  # the first reader stores last
        assert stamps()[s1] == latest > earlier[s1].computed_at


class TestCommand:
    def run(self, *args):
        out = io.StringIO()
        call_command("refresh_statistics", *args, stdout=out)
        return out.getvalue()

    def test_it_counts_what_is_missing_or_outdated_and_reports(self, db):
        data = build_dataset()
        assert "重新统计了 2 次会议" in self.run()
        assert SessionStatistics.objects.filter(figures__isnull=False).count() == 2
        before = stamps()
        assert "重新统计了 0 次会议" in self.run()
        stats.invalidate([data["s1"].pk])
        assert "重新统计了 1 次会议" in self.run()
        assert stamps()[data["s2"].pk] == before[data["s2"].pk]

    def test_all_recounts_every_session(self, dataset):
        before = stamps()
        assert "重新统计了 2 次会议" in self.run("--all")
        after = stamps()
        assert all(after[pk] > before[pk] for pk in before)


class TestRecountAfterTheWritersRequest:
    """The request whose write cleared a snapshot recounts it once answered, so the next visitor of the
    statistics does not wait for the count."""

    def test_a_write_is_recounted_once_the_writers_request_is_answered(
        self, dataset, client, django_assert_num_queries
    ):
        stats.invalidate([dataset["s2"].pk])  # what committing a write in a request does
        assert SessionStatistics.objects.get(session=dataset["s2"]).figures is None
        client.get("/")  # any request: request_finished runs once its response is sent
        assert SessionStatistics.objects.get(session=dataset["s2"]).figures is not None
        with django_assert_num_queries(1):  # the visitor's read: nothing left to count
            stats.current()

    def test_requests_that_changed_nothing_recount_nothing(self, dataset, client, django_assert_num_queries):
        stats.current()
        with django_assert_num_queries(0):
            stats.recount_after_request()
