"""API: the OpenAPI schema and docs, the root, departments and statistics. Who may read them:
test_permissions.py (every persona gets 200)."""

import os
import re

import pytest
import yaml
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse
from drf_spectacular.validation import validate_schema
from factories import make_department
from test_stats import build_dataset

from opendata import stats

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


class TestSchema:
    def test_it_is_valid_openapi_3_at_a_stable_url(self, client):
        response = client.get("/api/schema/")
        assert response.status_code == 200
        schema = yaml.safe_load(response.content)
        assert schema["openapi"].startswith("3.")
        validate_schema(schema)  # drf-spectacular's own validation against the OpenAPI 3 spec
        assert {
            "/api/proposals/",
            "/api/proposals/{id}/",
            "/api/departments/",
            "/api/departments/{id}/",
            "/api/replies/",
            "/api/replies/{id}/",
            "/api/commitments/",
            "/api/commitments/{id}/",
            "/api/stats/",
        } <= set(schema["paths"])

    def test_it_is_generated_without_warnings(self):
        # drf-spectacular's system check runs this too: a warning would fail `check --deploy`.
        call_command("spectacular", "--validate", "--fail-on-warn", "--file", os.devnull)

    def test_it_documents_every_filter_and_only_reads(self, client):
        schema = client.get("/api/schema/", {"format": "json"}).json()
        parameters = {p["name"] for p in schema["paths"]["/api/proposals/"]["get"]["parameters"]}
        assert {
            "session",
            "year",
            "kind",
            "status",
            "department",
            "key",
            "q",
            "page",
            "page_size",
        } <= parameters
        parameters = {p["name"] for p in schema["paths"]["/api/commitments/"]["get"]["parameters"]}
        assert {"owner", "status", "overdue"} <= parameters
        methods = {method for item in schema["paths"].values() for method in item if method != "parameters"}
        assert methods == {"get"}
        proposer = schema["components"]["schemas"]["Proposer"]["properties"]
        assert set(proposer) == {"position", "name", "kind"}  # never contact details


class TestDocs:
    def test_it_describes_each_endpoint_and_structure_in_chinese(self, client):
        page = client.get(reverse("opendata:docs")).content.decode()
        for text in [
            "开放数据接口说明",
            "GET /api/proposals/",
            "已公开的提案",
            "承诺事项",
            "数据结构",
            "ProposalDetail",
        ]:
            assert text in page
        assert 'href="#schema-ProposalDetail"' in page
        assert f'href="{reverse("opendata:schema")}"' in page

    @pytest.mark.parametrize("url", ["/api/docs/", "/api/", "/api/proposals/"])
    def test_no_page_loads_anything_from_another_host(self, client, url):
        page = client.get(url, HTTP_ACCEPT="text/html").content.decode()
        assert "<html" in page
        external = re.findall(r'<(?:script|link|img)[^>]+(?:src|href)="(?:https?:)?//[^"]*"', page)
        assert external == []
        assert "cdn" not in page.lower()


class TestRoot:
    def test_it_links_every_collection(self, client):
        data = client.get(reverse("opendata:api-root"), {"format": "json"}).json()
        assert set(data) == {"proposals", "departments", "replies", "commitments", "stats"}
        assert data["stats"] == "http://testserver/api/stats/?format=json"


class TestDepartments:
    def test_list_and_detail_with_feeds_and_figures(self, client, db):
        dataset = build_dataset()
        listing = client.get(reverse("opendata:department-list")).json()
        assert [row["name"] for row in listing["results"]] == sorted(["甲局", "乙局", "丙局"])
        d1 = dataset["d1"]
        data = client.get(reverse("opendata:department-detail", args=[d1.pk])).json()
        assert data["feeds"]["atom"] == f"http://testserver/feeds/departments/{d1.pk}/replies.atom"
        assert (data["stats"]["assigned"], data["stats"]["on_time_rate"]) == (3, 66.7)

    def test_a_department_with_nothing_to_count_has_no_figures(self, client, db):
        department = make_department()
        assert client.get(reverse("opendata:department-detail", args=[department.pk])).json()["stats"] is None

    @pytest.mark.parametrize("rows", [1, 20])
    def test_list_query_count_is_constant(self, client, django_assert_num_queries, db, rows):
        for _ in range(rows):
            make_department()
        with django_assert_num_queries(2):  # count; page
            client.get(reverse("opendata:department-list"))


class TestStats:
    URL = reverse("opendata:stats-list")

    def test_it_returns_the_figures_of_the_stats_page(self, client, db):
        dataset = build_dataset()
        data = client.get(self.URL).json()
        sessions = stats.session_table()
        assert [row["id"] for row in data["sessions"]] == [row.key for row in sessions.rows]
        first = data["sessions"][0]
        assert (first["received"], first["registered"], first["registration_rate"]) == (8, 5, 62.5)
        assert (first["satisfied_rate"], first["commitments_overdue"]) == (50.0, 1)
        assert data["totals"]["received"] == 10
        departments = {row["id"]: row for row in data["departments"]}
        assert departments[dataset["d2"].pk]["overdue"] == 1
        assert data["session"] is None

    def test_a_session_narrows_the_departments(self, client, db):
        dataset = build_dataset()
        data = client.get(self.URL, {"session": dataset["s2"].pk}).json()
        assert [row["id"] for row in data["departments"]] == [dataset["d2"].pk]
        assert data["session"] == dataset["s2"].pk

    @pytest.mark.parametrize("session", ["abc", "999999"])
    def test_a_bad_session_is_a_400(self, client, db, session):
        response = client.get(self.URL, {"session": session})
        assert response.status_code == 400 and "session" in response.json()

    def test_query_count_cold_and_cached(self, client, django_assert_num_queries, db):
        build_dataset()
        # sessions with their snapshots; create the missing rows; eight counting queries; store them
        with django_assert_num_queries(11):
            client.get(self.URL)
        with django_assert_num_queries(1):  # sessions with their snapshots, all current
            client.get(self.URL)
