"""Time the public pages and the search at scale, beside the Django admin, raw SQL and hello-world.

Run: make bench   (or .venv/bin/python benchmarks/bench_public.py [--reps N] [--markdown FILE])

PostgreSQL only: the database comes from BENCH_DATABASE_URL (default
postgres://postgres@127.0.0.1:5432/tracker_bench). It is migrated, and filled with synthetic
proposals by `generate_synthetic` up to --proposals (default 100,000) if it holds fewer; that takes
a quarter of an hour the first time. Requests go through Django's test Client in-process, DEBUG off,
warm caches: each figure is the median (p50) of --reps requests after two warm-up requests.

Figures:
- search: /search/?q=… for 2-, 3- and 4-character queries, a rare one (钨矿) and one found in every
  proposal (广西);
- admin: the admin changelist search for the same query, as a superuser;
- floor: the SQL statements the search page ran, replayed through a plain psycopg connection, planned
  on every run as a visitor's search is (and, for reference, prepared once as psycopg does for a
  statement repeated five times on a connection);
- scan: a naive substring scan (LIKE over title, body and reply text, newest first, 20 rows):
  what the page would cost without the index;
- pages: filtered lists, a proposal page, a letter page, the commitments tracker, the statistics
  page (a page that answers 404 is skipped with a note);
- hello: a hello-world view mounted beside the site's URLs (benchmarks/urls.py; the framework floor);
- workspaces: the office dashboard, the office list (plain and filtered), the overdue board, the inbox
  and the commitments page of the department with the most assignments, and the delegate page of the
  proposer with the most proposals, each logged in as that persona (bench-office, bench-department,
  bench-delegate: created or rebound on every run). `--workspaces-only` times only these.

In-process figures go through Django's test Client. The pages are then timed again through HTTP:
two gunicorn servers on loopback (one sync worker each, DEBUG off, benchmarks/settings.py), one with
the page cache off and one with it on, a new connection per request (--no-http skips this).

Search and pages are timed twice: rendered (the public page cache off: every request runs the view's
queries and template) and served (the cache on, as anonymous visitors get them: one query for the data
version, then the stored page). The search ratios use the rendered figure: a cached page fetches no rows.
"""

import argparse
import os
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
os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver"
os.environ["DJANGO_SECURE_SSL_REDIRECT"] = "0"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
# A page whose SQL runs longer than this is reported as timed out rather than holding the run
# (set on each connection once the data is ready: building the index takes longer).
STATEMENT_TIMEOUT_S = 60

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings, setup_test_environment  # noqa: E402

QUERIES = ["氢能", "钨矿", "广西", "石墨烯", "揭榜挂帅"]
HELLO = "/__bench_hello__/"  # benchmarks/urls.py: the site plus a hello-world view


def p50(timings):
    return statistics.median(timings)


SLOW_PAGE_BUDGET_MS = 20_000  # a page slower than this gets fewer repetitions (at least 3)


class TimedOut(Exception):
    pass


def time_get(client, url, reps):
    """Median milliseconds of GET url, or None when the page does not exist (404)."""
    from django.db.utils import OperationalError

    started = time.perf_counter()
    try:
        response = client.get(url)
    except OperationalError as error:
        if "statement timeout" in str(error):
            raise TimedOut(url) from error
        raise
    first = (time.perf_counter() - started) * 1000
    if response.status_code == 404:
        return None
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    reps = max(3, min(reps, int(SLOW_PAGE_BUDGET_MS / max(first, 1))))
    client.get(url)
    timings = []
    for _ in range(reps):
        started = time.perf_counter()
        client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
    return p50(timings)


def time_sql(statements, reps, prepared=False):
    """Median milliseconds of running the statements, fetching every row, on a fresh psycopg connection.

    Planned afresh on every run unless `prepared`: psycopg prepares a statement once it has run five
    times on a connection, which spares the planning a visitor's search never escapes (each search is
    a new statement); the prepared figure is printed beside it for reference."""
    import psycopg

    settings_dict = connection.settings_dict
    with (
        psycopg.connect(
            host=settings_dict["HOST"] or None,
            port=settings_dict["PORT"] or None,
            user=settings_dict["USER"] or None,
            password=settings_dict["PASSWORD"] or None,
            dbname=settings_dict["NAME"],
            autocommit=True,
            prepare_threshold=5 if prepared else None,
        ) as raw,
        raw.cursor() as cursor,
    ):

        def run():
            for sql in statements:
                cursor.execute(sql)
                cursor.fetchall()

        run()
        run()
        timings = []
        for _ in range(reps):
            started = time.perf_counter()
            run()
            timings.append((time.perf_counter() - started) * 1000)
    return p50(timings)


def captured_sql(client, url):
    """The SQL the page runs, as executed (parameters inlined), minus session and auth lookups."""
    with CaptureQueriesContext(connection) as context:
        client.get(url)
    return [query["sql"] for query in context.captured_queries]


def naive_scan_sql(term):
    """Newest 20 published proposals whose title, body or public reply text contains the term."""
    literal = "'%" + term + "%'"
    return [
        "SELECT p.id, p.title FROM proposals_proposal p WHERE p.is_published AND ("
        f"p.title LIKE {literal} OR p.body LIKE {literal} OR EXISTS (SELECT 1 FROM responses_responseitem i "
        "JOIN responses_response r ON r.id = i.response_id WHERE r.proposal_id = p.id AND "
        "r.status = 'published' AND r.disclosure = 'public' AND "
        f"(i.heading LIKE {literal} OR i.paragraphs LIKE {literal}))) "
        "ORDER BY p.submitted_on DESC NULLS LAST, p.id DESC LIMIT 20"
    ]


def ensure_database():
    """Create the benchmark database when it does not exist yet."""
    import psycopg

    settings_dict = connection.settings_dict
    options = {
        "host": settings_dict["HOST"] or None,
        "port": settings_dict["PORT"] or None,
        "user": settings_dict["USER"] or None,
        "password": settings_dict["PASSWORD"] or None,
    }
    with psycopg.connect(dbname="postgres", autocommit=True, **options) as admin:
        exists = admin.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [settings_dict["NAME"]]
        ).fetchone()
        if not exists:
            print(f"Creating database {settings_dict['NAME']}…", flush=True)
            admin.execute(f'CREATE DATABASE "{settings_dict["NAME"]}"')


def ensure_data(target, seed):
    from proposals.models import Proposal

    ensure_database()
    call_command("migrate", verbosity=0)
    have = Proposal.objects.count()
    if have < target:
        print(f"The database holds {have} proposals; generating {target - have} (takes minutes)…", flush=True)
        call_command("generate_synthetic", proposals=target - have, seed=seed)
    elif not _index_is_full():
        call_command("rebuild_search_index")


def _index_is_full():
    from proposals.models import Proposal
    from search.models import SearchDocument

    return SearchDocument.objects.count() == Proposal.objects.count()


def limit_statements():
    from django.db.backends.signals import connection_created

    def set_timeout(sender, connection, **kwargs):
        with connection.cursor() as cursor:
            cursor.execute(f"SET statement_timeout = {STATEMENT_TIMEOUT_S * 1000}")

    connection_created.connect(set_timeout, weak=False)
    connection.close()  # the next query opens a connection with the limit


def list_urls():
    """Filtered lists with whatever filters the list offers now (always ?q=)."""
    from proposals.models import Department, Session

    urls = ["/proposals/?q=氢能", "/proposals/"]
    try:
        from search.filters import ProposalFilter

        names = set(ProposalFilter.base_filters)
    except ImportError:
        names = set()
    session = Session.objects.order_by("-year").values_list("pk", "year").first()
    department = Department.objects.filter(name="自治区科技厅").values_list("pk", flat=True).first()
    if {"status", "year"} <= names and session:
        urls.append(f"/proposals/?q=乡村振兴&status=closed&year={session[1] - 2}")
    if "department" in names and department:
        urls.append(f"/proposals/?department={department}&sort=-submitted")
    if "overdue" in names:
        urls.append("/proposals/?overdue=on")
    return urls


def sample_pages():
    from proposals.models import Proposal
    from responses.models import Response

    reply = Response.objects.public().filter(proposal__is_published=True).order_by("-pk").first()
    proposal = reply.proposal if reply else Proposal.objects.published().order_by("-pk").first()
    pages = [("proposal page", f"/proposals/{proposal.pk}/")]
    if reply:
        pages.append(("letter page", f"/replies/{reply.pk}/"))
    pages += [
        ("commitments tracker", "/commitments/"),
        ("commitments, overdue filter", "/commitments/?overdue=on"),
        ("statistics", "/stats/"),
    ]
    return pages


def workspace_personas():
    """Logged-in clients for the office, the busiest department and the busiest proposer, with the
    size of what they see. The users are created once and rebound to the busiest ones on every run."""
    from django.db.models import Count

    from proposals.models import Assignment, Profile, ProposalProposer

    def persona(username, **profile):
        user, _ = get_user_model().objects.get_or_create(username=username)
        Profile.objects.update_or_create(
            user=user, defaults={"department": None, "proposer": None, "can_sign_off": False, **profile}
        )
        client = Client()
        client.force_login(user)
        return client

    department_id, assignments = (
        Assignment.objects.values("department_id")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .values_list("department_id", "n")[0]
    )
    proposer_id, proposals = (
        ProposalProposer.objects.values("proposer_id")
        .annotate(n=Count("proposal_id", distinct=True))
        .order_by("-n")
        .values_list("proposer_id", "n")[0]
    )
    # The demo data may already bind a user to this proposer: the profile field is one-to-one.
    Profile.objects.filter(proposer_id=proposer_id).exclude(user__username="bench-delegate").update(
        proposer=None
    )
    return {
        "office": persona("bench-office", role=Profile.Role.OFFICE),
        "department": persona("bench-department", role=Profile.Role.DEPARTMENT, department_id=department_id),
        "delegate": persona("bench-delegate", role=Profile.Role.DELEGATE, proposer_id=proposer_id),
        "assignments": assignments,
        "proposals": proposals,
    }


def workspace_pages(personas):
    """(label, client, url) of the workspace pages, each as the persona who uses it."""
    from proposals.models import Proposal

    year = Proposal.objects.order_by("-session__year").values_list("session__year", flat=True).first()
    office, department, delegate = personas["office"], personas["department"], personas["delegate"]
    return [
        ("office dashboard", office, "/office/"),
        ("office list", office, "/office/proposals/"),
        ("office list, status filter", office, "/office/proposals/?status=replied"),
        ("office list, key + keyword", office, "/office/proposals/?key=1&q=乡村振兴"),
        ("office list, keyword, page 3", office, f"/office/proposals/?q={year}&page=3"),
        ("overdue board", office, "/office/overdue/"),
        ("overdue board, 30 days", office, "/office/overdue/?within=30"),
        (f"department inbox ({personas['assignments']:,} assignments)", department, "/department/"),
        ("department commitments", department, "/department/commitments/"),
        (f"delegate page ({personas['proposals']} proposals)", delegate, "/my/"),
    ]


def workspace_table(say, hello_ms, reps):
    personas = workspace_personas()
    say()
    say("| workspace page | ms | ÷ hello-world | queries |")
    say("|---|---|---|---|")
    say(f"| hello-world view | {hello_ms:.2f} | 1.0× | |")
    for label, client, url in workspace_pages(personas):
        try:
            ms = time_get(client, url, reps)
        except TimedOut:
            say(f"| {label} | timed out: a query ran over {STATEMENT_TIMEOUT_S} s | | |")
            continue
        with CaptureQueriesContext(connection) as context:
            client.get(url)
        say(f"| {label} `{url}` | {ms:.1f} | {ms / hello_ms:.0f}× | {len(context.captured_queries)} |")


def machine():
    import platform

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
        cursor.execute("SELECT pg_size_pretty(pg_total_relation_size('search_searchdocument'))")
        index_size = cursor.fetchone()[0]
    memory = ""
    try:
        with open("/proc/meminfo") as meminfo:
            kb = int(meminfo.readline().split()[1])
            memory = f"{kb / 1024 / 1024:.0f} GiB"
    except OSError:
        pass
    return {
        "cpus": os.cpu_count(),
        "memory": memory,
        "postgresql": version,
        "python": platform.python_version(),
        "search table": index_size,
        # Other work on the machine inflates every figure: the load average says how much there was.
        "load average at start": " ".join(f"{load:.1f}" for load in os.getloadavg()),
    }


def statistics_after_a_write(say, reps):
    """/stats/ when a write has just cleared the largest session's snapshot and this visitor comes
    before the writer's request has recounted it (opendata.stats.recount_after_request), and when
    every snapshot is gone (after a bulk load, before `refresh_statistics`)."""
    from django.db.models import Count

    from opendata import stats
    from proposals.models import Proposal

    by_size = Proposal.objects.values("session_id").annotate(n=Count("pk")).order_by("-n")
    largest = by_size.values_list("session_id", "n")[0]
    client = Client()
    storages = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(ROOT_URLCONF="benchmarks.urls", STORAGES=storages, PUBLIC_PAGE_CACHE_SECONDS=0):
        client.get("/stats/")

        def after(session_ids, reps):
            timings = []
            for _ in range(reps):
                stats.invalidate(session_ids)
                started = time.perf_counter()
                client.get("/stats/")
                timings.append((time.perf_counter() - started) * 1000)
            return p50(timings)

        one = after([largest[0]], reps)
        everything = after(None, 3)
    say(
        f"Statistics page right after a write to the largest session ({largest[1]:,} proposals), "
        f"recounted by the visitor: {one:.0f} ms; with every snapshot cleared: {everything:.0f} ms."
    )


# --- through HTTP: gunicorn over loopback, as a visitor's request travels ---------------------------

HTTP_PORTS = {"served": 8731, "rendered": 8732}


def start_gunicorn(port, cache_seconds):
    """One sync worker serving the site (DEBUG off) on 127.0.0.1:port; returns the process."""
    import subprocess

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "benchmarks.settings",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "TRACKER_PUBLIC_PAGE_CACHE_SECONDS": str(cache_seconds),
    }
    command = [sys.executable, "-m", "gunicorn", "--workers", "1", "--bind", f"127.0.0.1:{port}"]
    command += ["--no-control-socket", "--chdir", str(ROOT), "--log-level", "warning", "tracker.wsgi"]
    return subprocess.Popen(command, env=env)


def http_get_ms(port, url):
    """Milliseconds from connecting to the last byte of the answer, and its status."""
    import http.client
    from urllib.parse import quote

    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=STATEMENT_TIMEOUT_S)
    conn.request("GET", quote(url, safe="/?=&"))
    response = conn.getresponse()
    response.read()
    conn.close()
    return (time.perf_counter() - started) * 1000, response.status


def wait_until_up(port, deadline_s=60):
    started = time.monotonic()
    while time.monotonic() - started < deadline_s:
        try:
            if http_get_ms(port, HELLO)[1] == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"gunicorn on port {port} did not answer within {deadline_s} s")


def http_p50(port, url, reps):
    ms, status = http_get_ms(port, url)  # warm-up, and the page's status
    if status != 200:
        return None
    reps = max(3, min(reps, int(SLOW_PAGE_BUDGET_MS / max(ms, 1))))
    http_get_ms(port, url)
    return p50([http_get_ms(port, url)[0] for _ in range(reps)])


def http_table(say, pages, reps):
    """Each page through gunicorn with the page cache off (rendered) and on (served)."""
    servers = {
        "served": start_gunicorn(HTTP_PORTS["served"], 600),
        "rendered": start_gunicorn(HTTP_PORTS["rendered"], 0),
    }
    try:
        for port in HTTP_PORTS.values():
            wait_until_up(port)
        hello = {name: http_p50(port, HELLO, reps * 4) for name, port in HTTP_PORTS.items()}
        floor = min(hello.values())
        say(
            f"Through HTTP: gunicorn 27, one sync worker, a new loopback connection per request "
            f"(p50 of {reps}; hello-world p50 of {reps * 4})."
        )
        say()
        say("| page (HTTP) | rendered ms | ÷ hello-world | served ms | ÷ hello-world |")
        say("|---|---|---|---|---|")
        say(f"| hello-world view | {hello['rendered']:.2f} | 1.0× | {hello['served']:.2f} | 1.0× |")
        for label, url in pages:
            rendered = http_p50(HTTP_PORTS["rendered"], url, reps)
            served = http_p50(HTTP_PORTS["served"], url, reps * 4)
            if rendered is None or served is None:
                say(f"| {label} | not 200 | | | |")
                continue
            say(
                f"| {label} | {rendered:.1f} | {rendered / floor:.1f}× | {served:.2f} | "
                f"{served / floor:.1f}× |"
            )
    finally:
        for server in servers.values():
            server.terminate()
            server.wait(timeout=30)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=15, help="timed requests per figure (default 15)")
    parser.add_argument("--proposals", type=int, default=100_000, help="proposals wanted (default 100000)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--markdown", help="also write the tables to this file")
    parser.add_argument("--search-only", action="store_true", help="time the search table only")
    parser.add_argument("--no-http", action="store_true", help="skip the pages timed through gunicorn")
    parser.add_argument("--workspaces-only", action="store_true", help="time the workspace pages only")
    args = parser.parse_args()

    if connection.vendor != "postgresql":
        raise SystemExit("The benchmark runs on PostgreSQL: set BENCH_DATABASE_URL=postgres://…")
    ensure_data(args.proposals, args.seed)
    limit_statements()
    setup_test_environment()
    from proposals.models import Proposal
    from responses.models import Commitment, ResponseItem

    counts = (
        f"{Proposal.objects.count():,} proposals ({Proposal.objects.published().count():,} published), "
        f"{ResponseItem.objects.count():,} response items, {Commitment.objects.count():,} commitments"
    )
    admin = get_user_model().objects.filter(username="bench-admin").first()
    if admin is None:
        admin = get_user_model().objects.create_superuser("bench-admin", "bench@localhost", None)

    storages = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    lines = []

    def say(line=""):
        print(line, flush=True)
        lines.append(line)

    with override_settings(ROOT_URLCONF="benchmarks.urls", STORAGES=storages):
        anonymous = Client()
        staff = Client()
        staff.force_login(admin)
        hello_ms = time_get(anonymous, HELLO, args.reps * 4)

        say(f"Data: {counts}.")
        say(f"Machine: {machine()}.")
        say(
            f"p50 of {args.reps} requests (at least 3 for pages slower than "
            f"{SLOW_PAGE_BUDGET_MS // args.reps} ms), in ms: warm caches, Django test client "
            "in-process, DEBUG off."
        )
        if args.workspaces_only:
            workspace_table(say, hello_ms, args.reps)
            say(f"Load average at the end: {' '.join(f'{load:.1f}' for load in os.getloadavg())}.")
            if args.markdown:
                Path(args.markdown).write_text("\n".join(lines) + "\n", encoding="utf-8")
            return
        say()
        say(
            "| query | chars | search (rendered) | search (served) | admin | floor (same SQL, psycopg) "
            "| floor, prepared | naive scan | admin ÷ search | search ÷ floor |"
        )
        say("|---|---|---|---|---|---|---|---|---|---|")
        for term in QUERIES:
            url = f"/search/?q={term}"
            with override_settings(PUBLIC_PAGE_CACHE_SECONDS=0):
                ours = time_get(anonymous, url, args.reps)
                statements = captured_sql(anonymous, url)
            floor = time_sql(statements, args.reps)
            prepared = time_sql(statements, args.reps, prepared=True)
            served = time_get(anonymous, url, args.reps)
            theirs = time_get(staff, f"/admin/proposals/proposal/?q={term}", args.reps)
            scan = time_sql(naive_scan_sql(term), max(3, args.reps // 5))
            say(
                f"| {term} | {len(term)} | {ours:.1f} | {served:.2f} | {theirs:.1f} | {floor:.2f} "
                f"| {prepared:.2f} | {scan:.0f} | {theirs / ours:.1f}× | {ours / floor:.1f}× |"
            )
        pages = []
        if not args.search_only:
            pages = [(f"list {url}", url) for url in list_urls()] + sample_pages()
        say()
        say("| page | rendered ms | ÷ hello-world | served ms | ÷ hello-world |")
        say("|---|---|---|---|---|")
        say(f"| hello-world view | {hello_ms:.2f} | 1.0× | | |")
        for label, url in pages:
            try:
                with override_settings(PUBLIC_PAGE_CACHE_SECONDS=0):
                    rendered = time_get(anonymous, url, args.reps)
                served = time_get(anonymous, url, args.reps * 4)
            except TimedOut:
                say(f"| {label} | timed out: a query ran over {STATEMENT_TIMEOUT_S} s | | | |")
                continue
            if rendered is None:
                say(f"| {label} | skipped: 404 (not built yet) | | | |")
                continue
            say(
                f"| {label} | {rendered:.1f} | {rendered / hello_ms:.0f}× | {served:.2f} | "
                f"{served / hello_ms:.1f}× |"
            )
    if pages:
        say()
        statistics_after_a_write(say, args.reps)
        with override_settings(ROOT_URLCONF="benchmarks.urls", STORAGES=storages):
            workspace_table(say, hello_ms, args.reps)
    if pages and not args.no_http:
        say()
        searches = [(f"search {term}", f"/search/?q={term}") for term in ("氢能", "钨矿")]
        http_table(say, [*searches, *pages], args.reps)
    if args.markdown:
        Path(args.markdown).write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
