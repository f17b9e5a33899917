"""Time of the proposal intake's two steps for a 1,000-row sheet: upload + check, the preview page,
and confirm (check again + create every row).

Run: .venv/bin/python benchmarks/bench_intake.py   (SQLite, a throw-away test database), or with
     DATABASE_URL=postgres://postgres@127.0.0.1:5432/tracker_intake in front (PostgreSQL).
The script creates a fresh test database (test_<name>), loads the reference record and the demo
accounts, and drops the database at the end. The sheet: 1,000 rows of 1,500-character bodies, 20
repeated rows, 20 probable typos of proposers on file, the rest split between proposers on file and
new ones (two per row for a third of the rows). Results: BENCHMARKS.md ("Excel intake with preview").
"""

import io
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
os.environ.setdefault("DJANGO_DEBUG", "1")  # static files from the app folders, no collectstatic

import django  # noqa: E402

django.setup()

import openpyxl  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402

ROWS = 1000


def sheet_bytes(known):
    from proposals.importing import HEADERS

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(HEADERS)
    body = "建议" * 750
    rows = []
    for n in range(ROWS):
        title = f"关于推进第{n}项重点工作的建议"
        if n % 50 == 49:  # the row before, again
            rows.append(rows[-1])
            continue
        if n % 50 == 48:  # a typo of someone on file
            names, kinds = "蒋俏龄", "代表"
        elif n % 3 == 0:
            names, kinds = f"{known}、新委员{n:04d}", "委员"
        else:
            names, kinds = f"新委员{n:04d}", "委员"
        rows.append(["十二届三次", "提案", title, body, "经济建设", "2020-01-15", names, kinds])
    for values in rows:
        sheet.append(values)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def main():
    from proposals import importing
    from proposals.demo import ensure_personas
    from proposals.models import IntakeBatch, Proposal, Proposer

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        call_command("loaddata", "seed_letter", verbosity=0)
        ensure_personas()
        data = sheet_bytes("李明")
        client = Client()
        client.force_login(next(u for name, _p, _d, u in ensure_personas() if name == "office"))
        committee = Proposer.objects.get(name="蒋俏玲").proposal_links.get().proposal.session.committee

        started = time.perf_counter()
        response = client.post(
            reverse("office:proposal_import"),
            {"committee": committee.pk, "file": SimpleUploadedFile("bench.xlsx", data)},
        )
        upload_s = time.perf_counter() - started
        batch = IntakeBatch.objects.get()
        assert response.status_code == 302, response.status_code

        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            page = client.get(reverse("office:intake_preview", args=[batch.pk]))
            preview_s = time.perf_counter() - started
        assert page.status_code == 200

        rows = importing.batch_rows(batch)
        choices = {
            f"person-{row.line}-{index}": entry.options[0][0]
            for row in rows
            for index, entry in row.suggestions
        }
        confirm_queries = []  # counted, not logged: Django's query log keeps the last 9,000 only
        with connection.execute_wrapper(lambda execute, *args: confirm_queries.append(1) or execute(*args)):
            started = time.perf_counter()
            done = client.post(reverse("office:intake_confirm", args=[batch.pk]), choices)
            confirm_s = time.perf_counter() - started
        assert done.status_code == 302, done.content.decode()[:2000]
        created = Proposal.objects.filter(status=Proposal.Status.SUBMITTED).count()
        print(f"database: {connection.vendor}")
        print(f"sheet: {ROWS} rows, {len(data) / 1024:.0f} kB")
        print(f"upload + check: {upload_s * 1000:,.0f} ms")
        size = len(page.content) / 1024
        print(f"preview page: {preview_s * 1000:,.0f} ms, {len(queries)} queries, {size:.0f} kB")
        print(f"confirm: {confirm_s * 1000:,.0f} ms, {len(confirm_queries)} queries, {created} created")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
