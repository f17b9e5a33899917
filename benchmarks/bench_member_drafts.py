"""Saving and submitting a member's draft at its limits: 30 suggestions of 5,000 characters, a
50,000-character body, 20 co-signers. Wall time (best of five) and queries of each step, in a fresh
SQLite database (or the one DATABASE_URL names — it must be empty and is migrated).

Run: .venv/bin/python benchmarks/bench_member_drafts.py
Results: BENCHMARKS.md ("Members' drafts").
"""

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
os.environ.setdefault("DJANGO_DEBUG", "1")
if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"

import django  # noqa: E402

django.setup()


from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from proposals import drafts, submission  # noqa: E402
from proposals.models import Committee, CosignInvitation, Profile, Proposal, Proposer, Session  # noqa: E402
from tracker import limits  # noqa: E402

RUNS = 5


def main():
    call_command("migrate", verbosity=0)
    today = timezone.localdate()
    committee = Committee.objects.create(name="基准测试政协", short_name="基准政协")
    session = Session.objects.create(
        committee=committee, term=1, number=1, year=today.year, submission_deadline=today
    )
    user = get_user_model().objects.create_user("bench")
    first = Proposer.objects.create(name="基准委员")
    Profile.objects.create(user=user, role=Profile.Role.DELEGATE, proposer=first)
    signers = [Proposer.objects.create(name=f"联名委员{n}") for n in range(20)]
    suggestions = ["建" * limits.SUGGESTION_MAX] * limits.SUGGESTIONS_PER_PROPOSAL
    body = "析" * limits.BODY_MAX
    save_times, submit_times = [], []
    for _ in range(RUNS):
        draft = drafts.start_draft(session=session, kind=Proposal.Kind.PROPOSAL, proposer=first, actor=user)
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as saving:
            drafts.save_draft(
                draft, title="基准提案", body=body, suggestions=suggestions, cosign_deadline=today
            )
        save_times.append(time.perf_counter() - started)
        CosignInvitation.objects.bulk_create(
            [
                CosignInvitation(
                    proposal=draft, proposer=p, position=n, status=CosignInvitation.Status.ACCEPTED
                )
                for n, p in enumerate(signers, 1)
            ]
        )
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as submitting:
            submission.submit(draft, actor=user, today=today)
        submit_times.append(time.perf_counter() - started)
    print(f"database: {connection.vendor}; {RUNS} runs; best of each")
    print(
        f"save draft (30 × 5,000-character suggestions, 50,000-character body): "
        f"{min(save_times) * 1000:.0f} ms, {len(saving)} queries"
    )
    submit_ms = min(submit_times) * 1000
    print(f"submit (20 accepted co-signers, version snapshot): {submit_ms:.0f} ms, {len(submitting)} queries")


if __name__ == "__main__":
    main()
