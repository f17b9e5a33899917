"""Time of the unit scores (opendata.scoring.score_table) and of its Excel download, per session.

Run against a filled database (e.g. generate_synthetic):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/NAME .venv/bin/python benchmarks/bench_scores.py
For each of the three largest sessions it prints the proposals, units scored, queries run and the
median wall time of five runs (after one warm-up) for the table and for the .xlsx. Results:
BENCHMARKS.md ("Unit scores").
"""

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
os.environ.setdefault("DJANGO_DEBUG", "0")
os.environ.setdefault("DJANGO_SECRET_KEY", "bench")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from opendata import scoring  # noqa: E402
from proposals.models import Session  # noqa: E402
from tracker.exports import tabular_response  # noqa: E402


def median_ms(action, runs=5):
    action()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main():
    sessions = Session.objects.annotate(size=Count("proposals")).order_by("-size")[:3]
    print(f"database: {connection.vendor}")
    print("| session | proposals | units | queries | table (ms) | .xlsx (ms) |")
    print("|---|---|---|---|---|---|")
    for session in sessions:
        with CaptureQueriesContext(connection) as queries:
            rows = scoring.score_table(session)

        def xlsx(rows=rows):
            headers, lines = scoring.export_rows(rows)
            tabular_response("xlsx", "bench", headers, lines)

        table_ms = median_ms(lambda session=session: scoring.score_table(session))
        print(
            f"| {session.pk} | {session.size:,} | {len(rows)} | {len(queries)} | "
            f"{table_ms:,.0f} | {median_ms(xlsx):,.0f} |"
        )


if __name__ == "__main__":
    main()
