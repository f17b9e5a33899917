"""Atom and RSS feeds of newly published replies: public replies only, newest first, 50 items."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from factories import make_department, make_proposal, make_response
from test_api_proposals import build_world

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def rss_links(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    root = ET.fromstring(response.content)
    return [item.findtext("link") for item in root.iter("item")]


def atom_links(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    return [entry.find(f"{ATOM}link").get("href") for entry in root.iter(f"{ATOM}entry")]


def letter(reply):
    return f"http://testserver{reply.get_absolute_url()}"


class TestSiteFeeds:
    def test_rss_lists_public_replies_only_linking_the_letter(self, client, db):
        world = build_world()
        assert rss_links(client.get(reverse("opendata:replies-rss"))) == [letter(world["public_reply"])]

    def test_atom_lists_public_replies_only_linking_the_letter(self, client, db):
        world = build_world()
        assert atom_links(client.get(reverse("opendata:replies-atom"))) == [letter(world["public_reply"])]

    def test_items_name_the_department_and_proposal(self, client, db):
        world = build_world()
        root = ET.fromstring(client.get(reverse("opendata:replies-rss")).content)
        item = next(root.iter("item"))
        number = world["hydrogen"].number
        assert item.findtext("title") == f"科技厅答复第{number}号提案：关于发展氢能产业的建议"
        assert item.findtext("pubDate").startswith("Mon, 01 Jul 2024 00:00:00 +0800")
        assert "尚未公开的提案" not in client.get(reverse("opendata:replies-atom")).content.decode()
        assert root.findtext("channel/title") == "提案办理追踪：新公开的答复函"

    def test_newest_first_by_publication_date_then_id_and_fifty_at_most(self, client, db):
        department = make_department()
        old = make_response(make_proposal(), department, published_on=datetime.date(2023, 1, 1))
        same_day = [
            make_response(make_proposal(), department, published_on=datetime.date(2024, 5, 1))
            for _ in range(50)
        ]
        links = rss_links(client.get(reverse("opendata:replies-rss")))
        assert len(links) == 50
        assert links == [letter(reply) for reply in reversed(same_day)]
        assert letter(old) not in links

    def test_a_feed_takes_one_query(self, client, django_assert_num_queries, db):
        for _ in range(5):
            make_response()
        with django_assert_num_queries(1):  # replies with proposals and departments
            client.get(reverse("opendata:replies-atom"))


class TestDepartmentFeeds:
    @pytest.mark.parametrize("fmt, read", [("rss", rss_links), ("atom", atom_links)])
    def test_it_lists_that_departments_public_replies(self, client, db, fmt, read):
        world = build_world()
        other = make_response(make_proposal(world["s2024"]), world["other"])
        url = reverse(f"opendata:department-replies-{fmt}", args=[world["lead"].pk])
        assert read(client.get(url)) == [letter(world["public_reply"])]
        url = reverse(f"opendata:department-replies-{fmt}", args=[world["other"].pk])
        assert read(client.get(url)) == [letter(other)]  # its issued-only reply stays out

    def test_the_title_names_the_department(self, client, db):
        department = make_department("自治区科技厅")
        root = ET.fromstring(
            client.get(reverse("opendata:department-replies-rss", args=[department.pk])).content
        )
        assert root.findtext("channel/title") == "自治区科技厅：新公开的答复函"
        assert list(root.iter("item")) == []

    def test_an_unknown_department_is_not_found(self, client, db):
        assert client.get(reverse("opendata:department-replies-atom", args=[999999])).status_code == 404
