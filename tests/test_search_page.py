"""/search/: the search box over published proposals and public replies.

Runs on SQLite (substring match) and on PostgreSQL (bigram index + recheck): same results."""

import datetime

import pytest
from django.db import connection
from django.urls import reverse

from responses.models import Response
from search import api
from tests.factories import make_commitment, make_item, make_proposal, make_response

URL = reverse("search:search")
PERSONAS = ["office", "lead", "co", "unrelated", "proposer", "other_delegate", "anonymous"]


def hits(response):
    """The proposals listed, in order, as their titles."""
    return [hit.title for hit in response.context["results"].hits]


# Everyone may search (test_permissions.py), and finds the same published proposals.
@pytest.mark.parametrize("persona", PERSONAS)
def test_every_persona_may_search(client_for, persona):
    response = client_for(persona).get(URL, {"q": "新兴产业"})
    assert response.status_code == 200
    # The reference proposal, loaded from the fixture, is in the index.
    assert "关于培养发展战略性<mark>新兴产业</mark>" in response.content.decode()


@pytest.mark.django_db
class TestMatching:
    def test_a_two_character_query_finds_title_body_and_public_reply_text(self, client):
        make_proposal(title="关于发展氢能产业的建议", submitted_on=datetime.date(2024, 1, 5))
        make_proposal(title="关于交通的建议", body="建议布局加氢站，发展氢能重卡。")
        replied = make_proposal(title="关于港口的建议")
        item = make_item(make_response(replied), 1, paragraphs="我们已开展研究。\n下一步，推广氢能叉车。")
        make_commitment(item)
        make_proposal(title="关于教育的建议", body="与能源无关。")

        response = client.get(URL, {"q": "氢能"})

        assert response.status_code == 200
        assert sorted(hits(response)) == sorted(
            ["关于发展氢能产业的建议", "关于交通的建议", "关于港口的建议"]
        )
        assert "共找到 3 条" in response.content.decode()

    def test_commitment_text_is_searched(self, client):
        proposal = make_proposal(title="关于乡村的建议")
        item = make_item(make_response(proposal), 1, paragraphs="下一步，建设冷链物流。")
        make_commitment(item, text="下一步，建设冷链物流。")

        assert hits(client.get(URL, {"q": "冷链"})) == ["关于乡村的建议"]

    def test_unpublished_proposals_never_match(self, client):
        make_proposal(title="关于氢能的内部建议", is_published=False)

        response = client.get(URL, {"q": "氢能"})

        assert hits(response) == []
        assert "没有找到包含“氢能”的已公开提案或答复" in response.content.decode()

    @pytest.mark.parametrize(
        "fields",
        [
            {"status": Response.Status.DRAFT},
            {"status": Response.Status.ISSUED},
            {"status": Response.Status.PUBLISHED, "disclosure": Response.Disclosure.ON_REQUEST},
        ],
        ids=["draft", "issued", "on-request"],
    )
    def test_text_of_replies_that_are_not_public_never_matches(self, client, fields):
        proposal = make_proposal(title="关于港口的建议")
        make_item(make_response(proposal, **fields), 1, paragraphs="内部研究稿：拟推广氢能叉车。")

        assert hits(client.get(URL, {"q": "氢能"})) == []

    def test_punctuation_splits_the_query_and_every_term_must_match(self, client):
        make_proposal(title="关于氢能和石墨烯产业协同的建议")
        make_proposal(title="关于氢能的建议")

        assert hits(client.get(URL, {"q": "氢能，石墨烯！"})) == ["关于氢能和石墨烯产业协同的建议"]
        assert hits(client.get(URL, {"q": "“石墨烯” 氢能"})) == ["关于氢能和石墨烯产业协同的建议"]

    def test_a_longer_term_needs_its_characters_together(self, client):
        # 石墨 and 墨烯 both occur, but never 石墨烯: the bigrams match, the recheck must not.
        make_proposal(title="关于石墨开采的建议", body="关于墨烯的说法有误。")
        make_proposal(title="关于石墨烯材料的建议")

        assert hits(client.get(URL, {"q": "石墨烯"})) == ["关于石墨烯材料的建议"]

    def test_mixed_chinese_and_ascii_ignores_the_case_of_latin_letters(self, client):
        make_proposal(title="关于加快5G基站建设的建议")
        make_proposal(title="关于发展AI大模型的建议")
        make_proposal(title="关于基站选址的建议")

        assert hits(client.get(URL, {"q": "5g基站"})) == ["关于加快5G基站建设的建议"]
        assert hits(client.get(URL, {"q": "5G"})) == ["关于加快5G基站建设的建议"]
        assert hits(client.get(URL, {"q": "ai"})) == ["关于发展AI大模型的建议"]
        assert hits(client.get(URL, {"q": "AI 模型"})) == ["关于发展AI大模型的建议"]

    def test_a_single_character_alongside_a_longer_term_is_rechecked(self, client):
        make_proposal(title="关于氢能车辆的建议")
        make_proposal(title="关于氢能港口的建议")

        assert hits(client.get(URL, {"q": "氢能 车"})) == ["关于氢能车辆的建议"]

    def test_the_number_is_searched(self, client):
        make_proposal(number="20249901", title="关于港口的建议")

        assert hits(client.get(URL, {"q": "20249901"})) == ["关于港口的建议"]


@pytest.mark.django_db
class TestMessages:
    @pytest.mark.parametrize(
        "query, message",
        [
            ("", "请输入要检索的词"),
            ("   ", "请输入要检索的词"),
            ("氢" * 101, "检索词太长（101个字），请不超过100个字。"),
            ("水", "请至少输入两个字"),
            ("，。！", "检索词中没有汉字、字母或数字"),
        ],
        ids=["empty", "blank", "too-long", "one-character", "punctuation-only"],
    )
    def test_queries_that_cannot_be_searched_get_a_message_and_no_query(
        self, client, django_assert_num_queries, query, message
    ):
        make_proposal(title="关于水利的建议")
        with django_assert_num_queries(0):  # anonymous, and nothing to search: no query at all
            response = client.get(URL, {"q": query})

        assert response.status_code == 200
        assert message in response.content.decode()
        assert response.context["results"] is None

    def test_without_a_query_the_page_shows_only_the_form(self, client):
        response = client.get(URL)

        assert response.status_code == 200
        assert 'name="q"' in response.content.decode()
        assert "alert-warning" not in response.content.decode()


@pytest.mark.django_db
class TestRankingAndPages:
    def test_title_hits_come_first_then_newest_first(self, client):
        make_proposal(title="关于氢能的建议（旧）", submitted_on=datetime.date(2019, 1, 1))
        make_proposal(title="关于氢能的建议（新）", submitted_on=datetime.date(2023, 1, 1))
        make_proposal(
            title="关于能源的建议（最新）", body="发展氢能。", submitted_on=datetime.date(2025, 1, 1)
        )
        make_proposal(
            title="关于能源的建议（较新）", body="发展氢能。", submitted_on=datetime.date(2024, 1, 1)
        )

        assert hits(client.get(URL, {"q": "氢能"})) == [
            "关于氢能的建议（新）",
            "关于氢能的建议（旧）",
            "关于能源的建议（最新）",
            "关于能源的建议（较新）",
        ]

    def test_results_come_a_page_at_a_time_across_title_and_body_hits(self, client):
        day = datetime.date(2024, 1, 1)
        for n in range(api.PAGE_SIZE - 3):
            make_proposal(title=f"关于氢能第{n}项的建议", submitted_on=day + datetime.timedelta(days=n))
        for n in range(6):
            make_proposal(
                title=f"关于能源第{n}项的建议", body="氢能", submitted_on=day + datetime.timedelta(days=n)
            )

        first = client.get(URL, {"q": "氢能"})
        second = client.get(URL, {"q": "氢能", "page": 2})

        assert len(hits(first)) == api.PAGE_SIZE
        assert hits(first)[: api.PAGE_SIZE - 3] == [f"关于氢能第{n}项的建议" for n in reversed(range(17))]
        assert hits(first)[api.PAGE_SIZE - 3 :] == [
            "关于能源第5项的建议",
            "关于能源第4项的建议",
            "关于能源第3项的建议",
        ]
        assert hits(second) == ["关于能源第2项的建议", "关于能源第1项的建议", "关于能源第0项的建议"]
        assert hits(client.get(URL, {"q": "氢能", "page": 7})) == hits(second)  # past the last page
        assert hits(client.get(URL, {"q": "氢能", "page": "x"})) == hits(first)
        assert "page=2" in first.content.decode()
        assert "page=1" in second.content.decode() and "page=3" not in second.content.decode()

    def test_large_result_sets_are_counted_up_to_a_cap(self, client, monkeypatch):
        monkeypatch.setattr(api, "RESULT_CAP", 4)
        monkeypatch.setattr(api, "PAGE_SIZE", 2)
        for n in range(7):
            make_proposal(title=f"关于广西第{n}项的建议")

        first = client.get(URL, {"q": "广西"})
        last = client.get(URL, {"q": "广西", "page": 2})
        beyond = client.get(URL, {"q": "广西", "page": 9})

        assert "找到 4 条以上" in first.content.decode()
        assert len(hits(first)) == 2 and first.context["results"].has_next
        assert len(hits(last)) == 2 and not last.context["results"].has_next
        assert hits(beyond) == hits(last)  # pages past the cap show the last page

    def test_query_count_is_constant_in_page_size_and_data_size(self, client, django_assert_num_queries):
        for n in range(3):
            make_proposal(title=f"关于氢能{n}的建议")
            make_proposal(title=f"关于能源{n}的建议", body="氢能")
        # capped counts of title hits and of all hits; the page's ids; the page's documents with
        # their proposals, sessions and committees
        with django_assert_num_queries(3):
            small = client.get(URL, {"q": "氢能"})
        for n in range(30):
            make_proposal(title=f"关于氢能项目{n}的建议")
            make_proposal(title=f"关于能源项目{n}的建议", body="石墨烯，氢能")
        with django_assert_num_queries(3):
            large = client.get(URL, {"q": "氢能"})
        with django_assert_num_queries(3):
            client.get(URL, {"q": "氢能 石墨烯", "page": 2})

        assert len(hits(small)) == 6
        assert len(hits(large)) == api.PAGE_SIZE


@pytest.mark.django_db
class TestSnippets:
    def test_hits_are_highlighted_in_title_and_snippet(self, client):
        make_proposal(title="关于氢能的建议", body="前文。" * 30 + "建议发展氢能重卡。" + "后文。" * 60)

        page = client.get(URL, {"q": "氢能"}).content.decode()

        assert "关于<mark>氢能</mark>的建议" in page
        assert "search/search.css" in page  # marks without Bootstrap's padding, which reads as spaces
        assert "…" in page and "建议发展<mark>氢能</mark>重卡。" in page

    def test_markup_in_titles_and_bodies_is_escaped(self, client):
        make_proposal(title="<script>alert(1)</script>氢能&amp", body="<b>氢能</b> & amp")

        page = client.get(URL, {"q": "氢能 amp"}).content.decode()

        assert "<script>alert(1)</script>" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;<mark>氢能</mark>&amp;<mark>amp</mark>" in page
        assert "&lt;b&gt;<mark>氢能</mark>&lt;/b&gt; &amp; <mark>amp</mark>" in page

    def test_highlight_escapes_every_piece(self):
        assert api.highlight("a<氢能>&", ["氢能"]) == "a&lt;<mark>氢能</mark>&gt;&amp;"


@pytest.mark.django_db
def test_the_index_is_a_gin_index_on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite searches by substring, without an index")
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'search_searchdocument'")
        indexes = dict(cursor.fetchall())
    assert "USING gin (bigrams)" in indexes["search_doc_bigrams_gin"]
    assert "USING gin (title_bigrams)" in indexes["search_doc_title_bigrams_gin"]


@pytest.mark.django_db
def test_on_postgresql_a_term_found_almost_everywhere_shows_an_estimate_without_counting(client, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no planner statistics to estimate from; it counts")
    for n in range(12):
        make_proposal(title=f"关于广西第{n}项工作的建议", is_published=n < 9)
    make_proposal(title="关于海洋的建议")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE search_searchdocument")
    monkeypatch.setattr(api, "ESTIMATE_ABOVE", 5)

    response = client.get(URL, {"q": "广西"})

    results = response.context["results"]
    assert results.estimated
    assert 5 < results.total <= 13  # 12 of 13 documents hold 广西, about 10 of them published
    assert f"约 {results.rounded_total} 条" in response.content.decode()
    assert len(results.hits) == 9  # the page itself lists exactly the published matches


class TestSnippetWindow:
    """The line under a result: the text around its first hit, on one line, marked."""

    def test_a_hit_deep_in_a_long_body_is_shown_with_its_surroundings(self):
        from search.api import SNIPPET_LENGTH, snippet

        body = "前文。\n\n" * 400 + "推动氢能\n\n产业发展。" + "\n后文。" * 400
        line = str(snippet(body, ["氢能"]))
        assert "<mark>氢能</mark>" in line
        assert line.startswith("…") and line.endswith("…")
        assert "\n" not in line
        assert "推动<mark>氢能</mark> 产业发展" in line
        assert len(line.replace("<mark>", "").replace("</mark>", "")) <= SNIPPET_LENGTH + 2

    def test_a_short_text_is_shown_whole_without_ellipses(self):
        from search.api import snippet

        assert str(snippet("  关于发展\n氢能的提案  ", ["氢能"])) == "关于发展 <mark>氢能</mark>的提案"
