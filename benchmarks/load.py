"""`make load`: the site under load through gunicorn on loopback, on PostgreSQL with synthetic data.

Creates the database LOAD_DATABASE_URL names (default postgres://postgres@127.0.0.1:5432/tracker_load)
if needed, migrates it, adds the demo accounts (seed_demo) and fills it with
`generate_synthetic --seed 1` up to --proposals (default 100,000; a first fill takes about 7 minutes
for the rows and a few more for the search index on an idle 2-core machine). Then it starts gunicorn
(DEBUG off, benchmarks/settings.py, --workers sync workers on 127.0.0.1, plain HTTP) and runs two
locust mixes (benchmarks/locustfile.py) headless, one after the other, each with --users concurrent
users for --seconds:

- anonymous: the public pages, search, statistics, the API and feeds;
- department: handling-unit clerks logged in through the login form (their inbox, assignments,
  replies, printable letters, commitments).

It prints requests per second, p50 and p99 in ms, errors (any answer but 2xx/3xx, or no answer) and
5xx answers per mix, writes them with --markdown FILE, and exits non-zero when a mix had an error.
"""

import argparse
import csv
import io
import json
import os
import random
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/tracker_load"
os.environ["DATABASE_URL"] = os.environ.get("LOAD_DATABASE_URL", DEFAULT_URL)
os.environ["DJANGO_DEBUG"] = "0"
os.environ.setdefault("DJANGO_SECRET_KEY", "load-test-only-not-secret")
os.environ["DJANGO_ALLOWED_HOSTS"] = "127.0.0.1"
# Plain HTTP on loopback, no TLS proxy: no redirect to https, cookies that travel over http.
os.environ["DJANGO_SECURE_SSL_REDIRECT"] = "0"
os.environ["DJANGO_SECURE_COOKIES"] = "0"
os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.settings"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

MIXES = {"anonymous": "AnonymousVisitor", "department": "DepartmentStaff"}
QUERIES = ["氢能", "钨矿", "广西", "石墨烯", "揭榜挂帅", "乡村振兴", "教育", "交通"]
SAMPLE_SIZE = 300


def ensure_database():
    import psycopg

    settings = connection.settings_dict
    params = {"host": settings["HOST"] or None, "port": settings["PORT"] or None, "user": settings["USER"]}
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [settings["NAME"]]).fetchone():
            conn.execute(f'CREATE DATABASE "{settings["NAME"]}"')


def ensure_data(target, say):
    from axes.models import AccessAttempt

    from proposals.models import Proposal

    if connection.vendor != "postgresql":
        raise SystemExit("make load runs on PostgreSQL: set LOAD_DATABASE_URL=postgres://…")
    ensure_database()
    call_command("migrate", verbosity=0)
    call_command("seed_demo", "--force", stdout=io.StringIO())
    have = Proposal.objects.count()
    if have < target:
        say(f"filling the database: {target - have} synthetic proposals (a first fill takes minutes)")
        call_command("generate_synthetic", proposals=target - have, seed=1)
    AccessAttempt.objects.all().delete()  # a previous run's lockouts must not refuse this one's logins
    return Proposal.objects.count()


def signed_in_session(user):
    """A session as a login through the form leaves it: the clerks start signed in, so the mix measures
    their pages rather than 32 password hashes at once (PBKDF2 costs about half a second of CPU each)."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def sample(users):
    """IDs the mixes request: public ones for visitors, each demo department's own for its clerks."""
    from django.conf import settings
    from django.contrib.auth import get_user_model

    from proposals.demo import PERSONAS
    from proposals.models import Assignment, Department, Profile, Session
    from responses.models import Commitment, Response
    from search.filters import public_proposals

    def ids(queryset):
        return list(queryset.order_by("?").values_list("pk", flat=True)[:SAMPLE_SIZE])

    public_replies = Response.objects.public()
    staff = []
    names = [username for username, _password, role, *_ in PERSONAS if role == Profile.Role.DEPARTMENT]
    for user in get_user_model().objects.filter(username__in=names).select_related("profile"):
        department = user.profile.department
        replies = ids(Response.objects.filter(department=department))
        assignments = ids(Assignment.objects.filter(department=department))
        if replies and assignments:
            staff.append(
                {
                    "username": user.username,
                    "sessions": [signed_in_session(user) for _ in range(users)],
                    "assignments": assignments,
                    "replies": replies,
                }
            )
    per_page = settings.PAGE_SIZE
    return {
        "list_pages": max(public_proposals().count() // per_page, 1),
        "proposals": ids(public_proposals()),
        "replies": ids(public_replies),
        "commitments": ids(Commitment.objects.public()),
        "departments": ids(Department.objects.exclude(kind=Department.Kind.OFFICE)),
        "sessions": ids(Session.objects.all()),
        "queries": QUERIES,
        "staff": staff,
    }


def start_gunicorn(port, workers):
    command = [sys.executable, "-m", "gunicorn", "--workers", str(workers), "--bind", f"127.0.0.1:{port}"]
    command += ["--timeout", "60", "--no-control-socket", "--chdir", str(ROOT), "--log-level", "warning"]
    server = subprocess.Popen([*command, "tracker.wsgi"], env=os.environ.copy())
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as answer:
                if answer.status == 200:
                    return server
        except OSError:
            time.sleep(0.5)
    server.terminate()
    raise SystemExit(f"gunicorn on port {port} did not answer within 60 s")


def percentile(histogram, fraction):
    """The response time (ms) under which `fraction` of the requests in locust's histogram fall."""
    total = sum(histogram.values())
    seen = 0
    for ms in sorted(histogram):
        seen += histogram[ms]
        if seen >= fraction * total:
            return ms
    return 0


def summarize(mix, entries, server_errors):
    """The mix's figures from locust's JSON stats; the logins each user does once on start are
    listed per page but left out of the mix's figures, which describe the signed-in steady state."""
    mixed = [entry for entry in entries if not entry["name"].startswith("login")]
    histogram = {}
    for entry in mixed:
        for ms, count in entry["response_times"].items():
            histogram[int(float(ms))] = histogram.get(int(float(ms)), 0) + count
    started = min(entry["start_time"] for entry in entries)
    ended = max(entry["last_request_timestamp"] or started for entry in entries)
    requests = sum(entry["num_requests"] for entry in mixed)
    pages = []
    for entry in sorted(entries, key=lambda entry: entry["name"]):
        times = {int(float(ms)): count for ms, count in entry["response_times"].items()}
        pages.append(
            {
                "name": entry["name"],
                "requests": entry["num_requests"],
                "p50": percentile(times, 0.5),
                "p99": percentile(times, 0.99),
                "errors": entry["num_failures"],
            }
        )
    return {
        "mix": mix,
        "requests": requests,
        "rps": requests / max(ended - started, 1e-9),
        "p50": percentile(histogram, 0.5),
        "p99": percentile(histogram, 0.99),
        "errors": sum(entry["num_failures"] for entry in entries),
        "5xx": server_errors,
        "pages": pages,
    }


def hello_floor_ms(port, reps=30):
    """p50 of a hello-world view through the same gunicorn, one request at a time: how busy the machine
    is (on an idle one a few ms), so that figures from different runs can be read side by side."""
    timings = []
    for _ in range(reps):
        started = time.perf_counter()
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/__bench_hello__/", timeout=30) as answer:
            answer.read()
        timings.append((time.perf_counter() - started) * 1000)
    return sorted(timings)[len(timings) // 2]


def run_mix(mix, port, users, seconds, sample_file, folder):
    report = Path(folder) / f"{mix}.json"
    server_errors = Path(folder) / f"{mix}.5xx"
    failures = Path(folder) / f"{mix}_failures.csv"
    env = {**os.environ, "LOAD_SAMPLE": str(sample_file), "LOAD_5XX_FILE": str(server_errors)}
    command = [sys.executable, "-m", "locust", "-f", str(ROOT / "benchmarks" / "locustfile.py"), MIXES[mix]]
    command += ["--headless", "--users", str(users), "--spawn-rate", str(users), "--run-time", f"{seconds}s"]
    command += ["--host", f"http://127.0.0.1:{port}", "--json-file", str(report.with_suffix(""))]
    command += ["--csv", str(Path(folder) / mix), "--only-summary", "--stop-timeout", "10"]
    command += ["--loglevel", "WARNING"]
    subprocess.run(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, timeout=seconds + 120)
    result = summarize(mix, json.loads(report.read_text()), int(server_errors.read_text()))
    with open(failures, newline="") as handle:
        result["failures"] = [
            f"{row['Occurrences']}× {row['Method']} {row['Name']}: {row['Error']}"
            for row in csv.DictReader(handle)
        ]
    return result


def markdown(results, context):
    lines = [f"Run {context['date']}: {context['setup']}", ""]
    lines += ["| mix | requests | req/s | p50 ms | p99 ms | errors | 5xx |", "|---|---|---|---|---|---|---|"]
    for r in results:
        lines.append(
            f"| {r['mix']} | {r['requests']:,} | {r['rps']:.1f} | {r['p50']} | {r['p99']} | "
            f"{r['errors']} | {r['5xx']} |"
        )
    for r in results:
        lines += ["", f"{r['mix']} mix, per page:", "", "| page | requests | p50 ms | p99 ms | errors |"]
        lines.append("|---|---|---|---|---|")
        for page in r["pages"]:
            figures = [page["requests"], page["p50"], page["p99"], page["errors"]]
            lines.append(f"| `{page['name']}` | " + " | ".join(map(str, figures)) + " |")
        lines += [f"- {failure}" for failure in r["failures"]]
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--proposals", type=int, default=100_000)
    parser.add_argument("--users", type=int, default=32)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--port", type=int, default=8741)
    parser.add_argument("--mix", choices=sorted(MIXES), action="append", help="one mix only (repeatable)")
    parser.add_argument("--markdown", help="write the results as Markdown tables to this file")
    args = parser.parse_args()

    def say(text):
        print(text, flush=True)

    random.seed(1)
    count = ensure_data(args.proposals, say)
    with tempfile.TemporaryDirectory(prefix="tracker-load-") as folder:
        sample_file = Path(folder) / "sample.json"
        sample_file.write_text(json.dumps(sample(args.users), ensure_ascii=False))
        connection.close()
        server = start_gunicorn(args.port, args.workers)
        try:
            floor = hello_floor_ms(args.port)
            load = os.getloadavg()[0]
            results = []
            for mix in args.mix or list(MIXES):
                say(f"{mix}: {args.users} users for {args.seconds} s …")
                results.append(run_mix(mix, args.port, args.users, args.seconds, sample_file, folder))
        finally:
            server.terminate()
            server.wait(timeout=30)
    context = {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "setup": (
            f"{count:,} proposals on PostgreSQL; gunicorn {args.workers} sync workers on loopback, "
            "DEBUG off; "
            f"locust {args.users} users per mix for {args.seconds} s, 0–0.2 s between a user's requests; "
            f"{os.cpu_count()} CPUs shared by server, database and locust (load average {load:.1f} at the "
            f"start; a hello-world view answered in {floor:.1f} ms p50 before the mixes)"
        ),
    }
    say("")
    say(markdown(results, context))
    if args.markdown:
        Path(args.markdown).write_text(markdown(results, context), encoding="utf-8")
    if any(r["errors"] or r["5xx"] for r in results):
        raise SystemExit("load test: errors or server errors (see above)")


if __name__ == "__main__":
    main()
