"""How the key pages grow with the data: the same figures at 10,000 and 100,000 proposals (or any sizes).

Run: .venv/bin/python benchmarks/cost_curve.py [--sizes 10000 100000] [--reps 7] [--reindex]

PostgreSQL only. Each size has its own database: 100,000 is the benchmark's (BENCH_DATABASE_URL,
default …/tracker_bench), any other size N is tracker_curve_N on the same server, created and filled
by `generate_synthetic --proposals N --seed 1` on the first run (the fill time is printed). Each size
is measured in a fresh process (the settings read the database URL once), with the page cache off
(rendered pages) and DEBUG off, p50 of --reps requests after two warm-ups, beside hello-world.

Printed per size: the pages' milliseconds, the database's size, and with --reindex the time to
rebuild every index (REINDEX of the tables, the search table apart: it is most of the data). Then the
growth per tenfold and an estimate for 1,000,000 proposals from that growth (a page whose cost does
not grow with the data stays flat; one that grows linearly is ten times slower).
"""

import argparse
import json
import math
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SERVER = "postgres://postgres@127.0.0.1:5432"
BENCH_SIZE = 100_000


def database_url(size):
    if size == BENCH_SIZE:
        return os.environ.get("BENCH_DATABASE_URL", f"{SERVER}/tracker_bench")
    return f"{SERVER}/tracker_curve_{size}"


def measure(size, reps, reindex):
    """In a child process: fill the database if needed, then time the pages; prints one JSON line."""
    os.environ["BENCH_DATABASE_URL"] = database_url(size)
    sys.path.insert(0, str(ROOT))
    started = time.perf_counter()
    from django.conf import settings
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import override_settings, setup_test_environment

    from benchmarks import bench_public as bench  # sets up Django on that database
    from opendata import stats
    from proposals.models import Proposal

    bench.ensure_data(size, 1)
    fill_s = time.perf_counter() - started
    bench.limit_statements()
    setup_test_environment()
    storages = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    figures = {}
    with override_settings(ROOT_URLCONF="benchmarks.urls", STORAGES=storages, PUBLIC_PAGE_CACHE_SECONDS=0):
        anonymous = Client()
        figures["hello-world"] = bench.time_get(anonymous, bench.HELLO, reps * 4)
        for url in bench.list_urls():
            figures[f"list {url}"] = bench.time_get(anonymous, url, reps)
        for label, url in bench.sample_pages():
            figures[label] = bench.time_get(anonymous, url, reps)
        personas = bench.workspace_personas()
        for label, client, url in bench.workspace_pages(personas):
            figures[label.split(" (")[0]] = bench.time_get(client, url, reps)
        largest = (
            Proposal.objects.values("session_id")
            .annotate(n=Count("pk"))
            .order_by("-n")
            .values_list("session_id", flat=True)[0]
        )
        timings = []
        for _ in range(max(3, reps // 2)):
            stats.invalidate([largest])
            began = time.perf_counter()
            anonymous.get("/stats/")
            timings.append((time.perf_counter() - began) * 1000)
        figures["stats recount, largest session"] = bench.p50(timings)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_database_size(current_database())")
        database_bytes = cursor.fetchone()[0]
        cursor.execute("SELECT pg_total_relation_size('search_searchdocument')")
        search_bytes = cursor.fetchone()[0]
        reindex_s = {}
        if reindex:
            cursor.execute("SET statement_timeout = 0")
            cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
            tables = [name for (name,) in cursor.fetchall()]
            for group, names in (
                ("tables", [t for t in tables if t != "search_searchdocument"]),
                ("search", ["search_searchdocument"]),
            ):
                began = time.perf_counter()
                for name in names:
                    cursor.execute(f'REINDEX TABLE "{name}"')
                reindex_s[group] = time.perf_counter() - began
    print(
        json.dumps(
            {
                "size": size,
                "proposals": Proposal.objects.count(),
                "figures": figures,
                "database_mb": database_bytes / 2**20,
                "search_mb": search_bytes / 2**20,
                "reindex_s": reindex_s,
                "setup_s": fill_s,
                "load": os.getloadavg(),
            }
        ),
        flush=True,
    )


def growth_table(results):
    """Markdown: each figure per size, the growth per tenfold, and the estimate for 1,000,000."""
    sizes = [result["size"] for result in results]
    decades = max(math.log10(sizes[-1] / sizes[0]), 1)
    to_million = math.log10(1_000_000 / sizes[-1])

    def grow(values):
        per_tenfold = (values[-1] / values[0]) ** (1 / decades) if values[0] else 1
        return per_tenfold, values[-1] * per_tenfold**to_million

    def row(label, cells):
        return f"| {label} | " + " | ".join(cells) + " |"

    lines = [
        row("figure", [f"{size:,}" for size in sizes] + ["× per tenfold", "1,000,000 (estimate)"]),
        "|---|" + "---|" * (len(sizes) + 2),
    ]
    for name in results[0]["figures"]:
        values = [result["figures"].get(name) for result in results]
        if None in values:
            lines.append(row(name, ["—" if v is None else f"{v:.1f}" for v in values] + ["", ""]))
            continue
        per_tenfold, estimate = grow(values)
        lines.append(
            row(
                name,
                [f"{v:.1f}" for v in values]
                + [f"{per_tenfold:.1f}×", f"{estimate:.{0 if estimate >= 10 else 1}f}"],
            )
        )
    for key, label in (("database_mb", "database, MB"), ("search_mb", "of which the search table, MB")):
        values = [result[key] for result in results]
        per_tenfold, estimate = grow(values)
        lines.append(row(label, [f"{v:,.0f}" for v in values] + [f"{per_tenfold:.1f}×", f"{estimate:,.0f}"]))
    for group in ("tables", "search"):
        values = [result["reindex_s"].get(group) for result in results]
        if None in values:
            continue
        per_tenfold, estimate = grow(values)
        lines.append(
            row(
                f"REINDEX {group}, s",
                [f"{v:.1f}" for v in values] + [f"{per_tenfold:.1f}×", f"{estimate:,.0f}"],
            )
        )
    loads = ", ".join(f"{r['size']:,}: {' '.join(f'{x:.1f}' for x in r['load'])}" for r in results)
    lines.append("")
    lines.append(f"Load average after each size: {loads}.")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, BENCH_SIZE])
    parser.add_argument("--reps", type=int, default=7)
    parser.add_argument("--reindex", action="store_true", help="also time REINDEX of every table")
    parser.add_argument("--measure", type=int, help=argparse.SUPPRESS)  # the child process
    parser.add_argument("--markdown", help="also write the table to this file")
    args = parser.parse_args()
    if args.measure:
        measure(args.measure, args.reps, args.reindex)
        return
    results = []
    for size in sorted(args.sizes):
        command = [sys.executable, __file__, "--measure", str(size), "--reps", str(args.reps)]
        if args.reindex:
            command.append("--reindex")
        output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
        result = json.loads(output.strip().splitlines()[-1])
        print(f"{size:,}: {result['proposals']:,} proposals, set up in {result['setup_s']:.0f} s", flush=True)
        results.append(result)
    table = growth_table(results)
    print(table)
    if args.markdown:
        Path(args.markdown).write_text(table + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
