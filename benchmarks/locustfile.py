"""The load test's two mixes, run by benchmarks/load.py (`make load`); not meant to be run by hand.

- AnonymousVisitor: the public site as the public reads it — home, lists with filters and pages,
  proposal and letter pages, commitments, departments, search, statistics, the API and feeds.
- DepartmentStaff: a handling unit's clerk, signed in — inbox, assignments, replies, their letters,
  commitments — spread over the demo department accounts.

IDs and accounts come from the JSON file LOAD_SAMPLE names (written by load.py from the database).
Any answer but 2xx/3xx is a failure; a 5xx is also counted on its own.
"""

import json
import os
import random
from pathlib import Path

from locust import FastHttpUser, between, events, task

SAMPLE = json.loads(Path(os.environ["LOAD_SAMPLE"]).read_text(encoding="utf-8"))
SERVER_ERRORS = {"count": 0}


@events.request.add_listener
def count_server_errors(response=None, **kwargs):
    if response is not None and getattr(response, "status_code", 0) >= 500:
        SERVER_ERRORS["count"] += 1


@events.quitting.add_listener
def write_server_errors(environment, **kwargs):
    path = os.environ.get("LOAD_5XX_FILE")
    if path:
        with open(path, "w") as handle:
            handle.write(str(SERVER_ERRORS["count"]))


def session_cookie(key):
    from http.cookiejar import Cookie

    return Cookie(
        0,
        "sessionid",
        key,
        None,
        False,
        "127.0.0.1",
        False,
        False,
        "/",
        True,
        False,
        None,
        False,
        None,
        None,
        {},
    )


def pick(name):
    return random.choice(SAMPLE[name])


class AnonymousVisitor(FastHttpUser):
    wait_time = between(0, 0.2)

    @task(2)
    def home(self):
        self.client.get("/", name="/")

    @task(6)
    def proposal_list(self):
        params = random.choice(
            [
                "",
                f"?page={random.randint(1, min(SAMPLE['list_pages'], 20))}",
                f"?session={pick('sessions')}",
                f"?q={pick('queries')}",
                "?sort=-number&overdue=on",
                f"?department={pick('departments')}&page=2",
            ]
        )
        self.client.get(f"/proposals/{params}", name="/proposals/?…")

    @task(8)
    def proposal(self):
        self.client.get(f"/proposals/{pick('proposals')}/", name="/proposals/<id>/")

    @task(8)
    def letter(self):
        self.client.get(f"/replies/{pick('replies')}/", name="/replies/<id>/")

    @task(3)
    def commitments(self):
        params = random.choice(["", "?status=open", "?overdue=on", f"?department={pick('departments')}"])
        self.client.get(f"/commitments/{params}", name="/commitments/?…")

    @task(3)
    def commitment(self):
        self.client.get(f"/commitments/{pick('commitments')}/", name="/commitments/<id>/")

    @task(2)
    def departments(self):
        self.client.get("/departments/", name="/departments/")

    @task(3)
    def department(self):
        self.client.get(f"/departments/{pick('departments')}/", name="/departments/<id>/")

    @task(5)
    def search(self):
        self.client.get(f"/search/?q={pick('queries')}", name="/search/?q=…")

    @task(2)
    def stats(self):
        self.client.get("/stats/", name="/stats/")

    @task(3)
    def api(self):
        path = random.choice(
            [
                f"/api/proposals/?page={random.randint(1, min(SAMPLE['list_pages'], 20))}",
                f"/api/proposals/{pick('proposals')}/",
                f"/api/replies/{pick('replies')}/",
                "/api/departments/",
                "/api/stats/",
            ]
        )
        self.client.get(path, name="/api/…")

    @task(1)
    def feed(self):
        self.client.get("/feeds/replies.atom", name="/feeds/replies.atom")


class DepartmentStaff(FastHttpUser):
    wait_time = between(0, 0.2)

    def on_start(self):
        """Signed in already: a session load.py made for this account, as a login leaves it."""
        self.account = random.choice(SAMPLE["staff"])
        self.client.cookiejar.set_cookie(session_cookie(self.account["sessions"].pop()))

    def get(self, path, name):
        """A page of the signed-in clerk; sent to the login page instead counts as a failure."""
        with self.client.get(path, name=name, allow_redirects=False, catch_response=True) as response:
            if "/accounts/login/" in response.headers.get("Location", ""):
                response.failure("not signed in: redirected to the login page")

    @task(6)
    def inbox(self):
        self.get("/department/", "/department/")

    @task(8)
    def assignment(self):
        self.get(
            f"/department/assignments/{random.choice(self.account['assignments'])}/",
            "/department/assignments/<id>/",
        )

    @task(5)
    def reply(self):
        self.get(
            f"/department/replies/{random.choice(self.account['replies'])}/", "/department/replies/<id>/"
        )

    @task(3)
    def reply_print(self):
        self.get(
            f"/letters/replies/{random.choice(self.account['replies'])}/print/",
            "/letters/replies/<id>/print/",
        )

    @task(3)
    def commitments(self):
        self.get("/department/commitments/", "/department/commitments/")

    @task(2)
    def workspace(self):
        self.get("/workspace/", "/workspace/ (redirect)")

    @task(3)
    def public_letter(self):
        self.get(f"/replies/{pick('replies')}/", "/replies/<id>/ (signed in)")
