"""Similar proposals and assignment suggestions at scale: time per lookup and accuracy.

Run: .venv/bin/python benchmarks/bench_similar.py [--trials 200] [--suggestions 200] [--markdown FILE]

The database comes from BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/tracker_bench)
and must already hold synthetic proposals (`generate_synthetic --proposals N --seed 1`, see
BENCHMARKS.md); it is migrated and the bigram frequencies are counted if they never were.

- near-duplicates: for --trials proposals drawn with a fixed seed, a near-duplicate (another title
  on the same topic, the body's sentences shuffled) is looked up among the proposals of its
  committee of this and earlier sessions (search.similarity.rank): how often the original comes
  first, and the time per lookup (p50, p95, max);
- panel: the whole similar-proposals panel for an existing proposal (search.similarity.similar_to:
  the ranking and the session, units, result classes and open commitments of the five shown);
- suggestions: for --suggestions proposals of the last session year with a standing lead unit, the
  lead suggested from the history of earlier sessions only (search.suggestions.suggest with
  before=that year): top-1 and top-3 accuracy, and the time per suggestion.
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/tracker_bench"
os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
os.environ["DJANGO_DEBUG"] = "0"
os.environ.setdefault("DJANGO_SECRET_KEY", "benchmark-only-not-secret")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Max  # noqa: E402

from benchmarks.near_duplicates import near_duplicate  # noqa: E402
from proposals.models import Assignment, Proposal, Session  # noqa: E402
from search import similarity  # noqa: E402
from search.models import BigramFrequency, refresh_bigram_frequencies  # noqa: E402
from search.suggestions import suggest  # noqa: E402


def ms(seconds):
    return round(seconds * 1000, 1)


def timings(values):
    values = sorted(values)
    return {
        "p50": ms(statistics.median(values)),
        "p95": ms(values[int(len(values) * 0.95) - 1]),
        "max": ms(values[-1]),
    }


def sample_ids(queryset, count, rng):
    ids = list(queryset.order_by("pk").values_list("pk", flat=True))
    return sorted(rng.sample(ids, min(count, len(ids))))


def near_duplicates(trials, rng):
    ids = sample_ids(Proposal.objects.exclude(status=Proposal.Status.DRAFT), trials, rng)
    first, times = 0, []
    for proposal in Proposal.objects.filter(pk__in=ids).select_related("session").order_by("pk"):
        title, body = near_duplicate(proposal.title, proposal.body, rng)
        start = time.perf_counter()
        ranked = similarity.rank(title, body, similarity.pool_for(proposal.session), limit=similarity.SHOWN)
        times.append(time.perf_counter() - start)
        first += bool(ranked) and ranked[0][0] == proposal.pk
    return {"trials": len(ids), "first": first, **timings(times)}


def panels(count, rng):
    ids = sample_ids(Proposal.objects.exclude(status=Proposal.Status.DRAFT), count, rng)
    times = []
    for proposal in Proposal.objects.filter(pk__in=ids).select_related("session__committee"):
        start = time.perf_counter()
        similarity.similar_to(proposal)
        times.append(time.perf_counter() - start)
    return {"lookups": len(times), **timings(times)}


def suggestions(count, rng):
    last = Session.objects.aggregate(year=Max("year"))["year"]
    led = Assignment.objects.active().lead().filter(proposal__session__year=last)
    ids = sample_ids(Proposal.objects.filter(pk__in=led.values("proposal_id")), count, rng)
    leads = dict(led.filter(proposal_id__in=ids).values_list("proposal_id", "department_id"))
    top1 = top3 = 0
    times = []
    for proposal in Proposal.objects.filter(pk__in=ids).select_related("session__committee"):
        start = time.perf_counter()
        result = suggest(proposal.session.committee, proposal.title, proposal.body, before=last)
        times.append(time.perf_counter() - start)
        suggested = [s.department.pk for s in result.lead]
        top1 += suggested[:1] == [leads[proposal.pk]]
        top3 += leads[proposal.pk] in suggested[:3]
    n = len(times) or 1
    return {"year": last, "proposals": len(times), "top1": top1 / n, "top3": top3 / n, **timings(times)}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=200)
    parser.add_argument("--panels", type=int, default=50)
    parser.add_argument("--suggestions", type=int, default=200)
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--markdown", help="also write the results to this file")
    parser.add_argument(
        "--refresh", action="store_true", help="first run refresh_similarity (frequencies and bands), timed"
    )
    options = parser.parse_args()
    load = os.getloadavg()[0]
    call_command("migrate", verbosity=0)
    total = Proposal.objects.count()
    if not total:
        sys.exit("No proposals: fill the database with generate_synthetic first (see BENCHMARKS.md).")
    refreshed = ""
    if options.refresh:
        start = time.perf_counter()
        documents, banded = similarity.refresh()
        refreshed = f"refresh_similarity: {documents:,} documents counted, {banded:,} given bands in "
        refreshed += f"{time.perf_counter() - start:.0f} s."
        print(refreshed)
    elif not BigramFrequency.objects.filter(bigram=BigramFrequency.TOTAL).exists():
        start = time.perf_counter()
        refresh_bigram_frequencies()
        print(f"bigram frequencies counted in {time.perf_counter() - start:.1f} s")
    rng = random.Random(options.seed)
    # One warm-up lookup: connections, caches.
    similarity.similar_to(Proposal.objects.select_related("session__committee").first())
    duplicates = near_duplicates(options.trials, rng)
    panel = panels(options.panels, rng)
    suggested = suggestions(options.suggestions, rng)
    lines = [
        f"Data: {total:,} proposals ({connection.vendor}); load average {load:.1f} at start.",
        *([refreshed] if refreshed else []),
        "",
        "| measure | result | p50 ms | p95 ms | max ms |",
        "|---|---|---|---|---|",
        f"| near-duplicate ranks its original first | {duplicates['first']} of {duplicates['trials']} "
        f"({duplicates['first'] / duplicates['trials']:.1%}) | {duplicates['p50']} | {duplicates['p95']} "
        f"| {duplicates['max']} |",
        f"| similar-proposals panel (rank + details of 5) | {panel['lookups']} lookups | {panel['p50']} "
        f"| {panel['p95']} | {panel['max']} |",
        f"| lead suggestion, session year {suggested['year']} from earlier years | top-1 "
        f"{suggested['top1']:.1%}, top-3 {suggested['top3']:.1%} of {suggested['proposals']} "
        f"| {suggested['p50']} | {suggested['p95']} | {suggested['max']} |",
    ]
    print("\n".join(lines))
    if options.markdown:
        Path(options.markdown).write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
