"""The public page cache in a busy office: hit rate over a simulated working day, single token vs scoped.

Run: .venv/bin/python benchmarks/bench_cache.py [--hours 1] [--visits-per-write 10] [--markdown FILE]

PostgreSQL: the database comes from BENCH_DATABASE_URL (default
postgres://postgres@127.0.0.1:5432/tracker_cache_bench). It is migrated, and filled with synthetic
proposals by `generate_synthetic` up to --proposals (default 10,000) if it holds fewer.

The day: one write every 5 s of simulated time, committed through the workflow functions the views
call — a mix of registrations (立案, 40%), assignments (交办, 20%), progress reports on public
commitments (30%) and reply publications (10%) — and between two writes --visits-per-write anonymous
visits, spread over the 5 s: the proposal list, home, commitments tracker, statistics and department
list (30%), a proposal page (40%), a reply letter (22%), a department page (8%). Which proposal,
letter or department a visitor reads follows a Zipf law (s = --zipf) over them, newest first: some
pages are read far more than others, as on a real site. Writes pick proposals uniformly.

Each mode replays the same day (same seed) against an emptied cache:
- token: every committed write changes the one version every page is keyed by (the cache as it was
  before scoped invalidation; emulated by bumping `all` for every write);
- scoped: a write changes its proposal's pages, its departments' pages and the lists.
Writes stay in the database (each run adds its registrations and reports; the next run's day differs
from the previous one by those rows only). Requests go through Django's test Client in-process,
DEBUG off, the cache as configured (LocMemCache, TRACKER_CACHE_MAX_ENTRIES, default 2,000 pages).
The statistics' recount after a writing request is off here (it costs the writer, not the visitor).
"""

import argparse
import collections
import datetime
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/tracker_cache_bench"
os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
os.environ["DJANGO_DEBUG"] = "0"
os.environ.setdefault("DJANGO_SECRET_KEY", "benchmark-only-not-secret")
os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver"
os.environ["DJANGO_SECURE_SSL_REDIRECT"] = "0"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.settings")  # plain static storage

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.cache import caches  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.core.signals import request_finished  # noqa: E402
from django.db import transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from opendata import stats  # noqa: E402
from opendata.views import handling_departments  # noqa: E402
from pagecache import scopes  # noqa: E402
from pagecache.decorators import CACHE_ALIAS  # noqa: E402
from proposals import workflow  # noqa: E402
from proposals.models import Proposal, Proposer, Session  # noqa: E402
from responses.drafting import report_progress  # noqa: E402
from responses.models import Commitment, Response  # noqa: E402
from responses.publication import update_publication  # noqa: E402

WRITE_EVERY_S = 5
WRITES = [("registration", 40), ("assignment", 20), ("progress", 30), ("publication", 10)]
VISITS = [("lists", 30), ("proposal", 40), ("letter", 22), ("department", 8)]
LIST_PAGES = [("proposals:list", 50), ("home", 20), ("commitments:list", 15), ("opendata:stats", 10)]
LIST_PAGES.append(("units:list", 5))


def weighted(rng, choices):
    names, weights = zip(*choices, strict=True)
    return rng.choices(names, weights=weights)[0]


def zipf_index(rng, n, s):
    """An index in [0, n) drawn with probability ∝ 1 / (rank + 1)^s (rank 0 the most read)."""
    weights = zipf_weights(n, s)
    return rng.choices(range(n), cum_weights=weights)[0]


_cumulative = {}


def zipf_weights(n, s):
    if (n, s) not in _cumulative:
        total, cumulative = 0.0, []
        for rank in range(n):
            total += 1 / (rank + 1) ** s
            cumulative.append(total)
        _cumulative[(n, s)] = cumulative
    return _cumulative[(n, s)]


class Office:
    """The writes of the simulated day, through the workflow functions the views call."""

    def __init__(self, rng):
        self.rng = rng
        self.actor, _ = get_user_model().objects.get_or_create(username="bench-cache-office")
        self.session = Session.objects.order_by("-year", "-pk").first()
        self.departments = list(handling_departments().filter(committee=self.session.committee)[:40]) or list(
            handling_departments()[:40]
        )
        self.proposer = Proposer.objects.order_by("pk").first()
        self.today = timezone.localdate()

    def registration(self):
        with transaction.atomic():
            proposal = workflow.log_proposal(
                session=self.session,
                kind=Proposal.Kind.PROPOSAL,
                title=f"关于推进第{self.rng.randrange(10**6)}项民生工程的提案",
                body="建议加快推进。",
                proposers=[self.proposer],
                actor=self.actor,
            )
            workflow.register(
                proposal,
                number=workflow.suggest_number(self.session),
                registered_on=self.today,
                actor=self.actor,
            )

    def assignment(self):
        waiting = Proposal.objects.filter(status=Proposal.Status.REGISTERED, assignments__isnull=True)
        proposal = self.pick(waiting)
        if proposal is None:
            return self.registration()
        lead = self.rng.choice(self.departments)
        with transaction.atomic():
            workflow.assign(
                proposal,
                assigned_on=self.today,
                lead=(lead, self.today + datetime.timedelta(days=90)),
                actor=self.actor,
            )

    def progress(self):
        commitment = self.pick(Commitment.objects.public().open())
        status = self.rng.choice([Commitment.Status.IN_PROGRESS, Commitment.Status.DONE])
        report_progress(commitment, reported_on=self.today, status=status, text="已推进。", user=self.actor)

    def publication(self):
        issued = Response.objects.current().filter(
            status=Response.Status.ISSUED, disclosure=Response.Disclosure.PUBLIC
        )
        reply = self.pick(issued)
        if reply is None:
            return self.progress()
        update_publication(
            reply.proposal, is_published=True, is_key=False, replies_to_publish=[reply], actor=self.actor
        )

    def pick(self, queryset):
        count = queryset.count()
        return queryset.order_by("pk")[self.rng.randrange(count)] if count else None


class Visitors:
    def __init__(self, rng, zipf):
        self.rng, self.zipf = rng, zipf
        self.proposals = list(Proposal.objects.published().order_by("-pk").values_list("pk", flat=True))
        self.letters = list(Response.objects.public().order_by("-pk").values_list("pk", flat=True))
        self.departments = list(handling_departments().order_by("pk").values_list("pk", flat=True))
        self.rng.shuffle(self.departments)

    def url(self):
        kind = weighted(self.rng, VISITS)
        if kind == "lists":
            name = weighted(self.rng, LIST_PAGES)
            return name, reverse(name)
        rows = {"proposal": self.proposals, "letter": self.letters, "department": self.departments}[kind]
        pk = rows[zipf_index(self.rng, len(rows), self.zipf)]
        name = {"proposal": "proposals:detail", "letter": "responses:letter", "department": "units:detail"}
        return kind, reverse(name[kind], args=[pk])


def emulate_single_token():
    """Every committed write bumps `all`, which every page's key reads: the single data version."""
    real = scopes.scopes_to_bump
    scopes.scopes_to_bump = lambda refs: {scopes.ALL} if refs else set()
    return lambda: setattr(scopes, "scopes_to_bump", real)


def run_day(mode, args):
    rng = random.Random(args.seed)
    office, visitors = Office(random.Random(args.seed + 1)), Visitors(rng, args.zipf)
    restore = emulate_single_token() if mode == "token" else (lambda: None)
    client = Client()
    writer = random.Random(args.seed + 2)
    store = caches[CACHE_ALIAS]
    store.clear()
    found = []  # whether the page's lookup found a stored copy
    lookup = store.get

    def spy(key, *rest, **options):
        page = lookup(key, *rest, **options)
        found.append(page is not None)
        return page

    store.get = spy
    counts = collections.defaultdict(lambda: [0, 0])  # kind → [visits, hits]
    seconds = collections.defaultdict(float)  # kind → time spent answering
    writes = collections.Counter()
    started = time.monotonic()
    try:
        for _tick in range(int(args.hours * 3600 / WRITE_EVERY_S)):
            for _ in range(args.visits_per_write):
                kind, url = visitors.url()
                found.clear()
                t0 = time.perf_counter()
                response = client.get(url)
                seconds[kind] += time.perf_counter() - t0
                assert response.status_code == 200, (url, response.status_code)
                counts[kind][0] += 1
                counts[kind][1] += found == [True]
            kind = weighted(writer, WRITES)
            getattr(office, kind)()
            writes[kind] += 1
    finally:
        restore()
        del store.get
    return {
        "counts": dict(counts),
        "seconds": dict(seconds),
        "writes": writes,
        "wall": time.monotonic() - started,
    }


def report(results, args):
    kinds = ["proposals:list", "home", "commitments:list", "opendata:stats", "units:list"]
    kinds += ["proposal", "letter", "department"]
    lines = [
        f"Simulated {args.hours:g} h: one write every {WRITE_EVERY_S} s, {args.visits_per_write} visits "
        f"between writes, Zipf s = {args.zipf}, seed {args.seed}.",
        "",
        "| page | visits | hit rate, single token | hit rate, scoped "
        "| mean ms, single token | mean ms, scoped |",
        "|---|---|---|---|---|---|",
    ]

    def row(label, keys):
        cells = [label]
        visits = sum(results["token"]["counts"].get(k, [0, 0])[0] for k in keys)
        cells.append(f"{visits:,}")
        for mode in ("token", "scoped"):
            c = results[mode]["counts"]
            v, h = sum(c.get(k, [0, 0])[0] for k in keys), sum(c.get(k, [0, 0])[1] for k in keys)
            cells.append(f"{100 * h / v:.1f}%" if v else "–")
        for mode in ("token", "scoped"):
            c, s = results[mode]["counts"], results[mode]["seconds"]
            v = sum(c.get(k, [0, 0])[0] for k in keys)
            cells.append(f"{1000 * sum(s.get(k, 0) for k in keys) / v:.1f}" if v else "–")
        return "| " + " | ".join(cells) + " |"

    for kind in kinds:
        lines.append(row(kind, [kind]))
    lines.append(row("**all visits**", kinds))
    for mode in ("token", "scoped"):
        w = results[mode]["writes"]
        lines.append("")
        lines.append(
            f"{mode}: writes {sum(w.values())} ({', '.join(f'{k} {n}' for k, n in sorted(w.items()))}); "
            f"wall {results[mode]['wall']:.0f} s"
        )
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--proposals", type=int, default=10_000)
    parser.add_argument("--hours", type=float, default=1.0, help="simulated hours (default 1)")
    parser.add_argument("--visits-per-write", type=int, default=10)
    parser.add_argument("--zipf", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--modes", default="token,scoped")
    parser.add_argument("--markdown", help="also write the table to this file")
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    if Proposal.objects.count() < args.proposals:
        call_command("generate_synthetic", proposals=args.proposals - Proposal.objects.count())
    request_finished.disconnect(stats.recount_after_request, dispatch_uid="opendata.stats:recount")
    settings.PUBLIC_PAGE_CACHE_SECONDS = 24 * 3600
    results = {}
    for mode in args.modes.split(","):
        results[mode] = run_day(mode, args)
        print(mode, results[mode]["wall"], file=sys.stderr)
    text = report(results, args)
    print(text)
    if args.markdown:
        Path(args.markdown).write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
