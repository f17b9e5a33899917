"""API: /api/replies/ and /api/commitments/ — public replies only, nested in order; filters; counts."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from factories import make_commitment, make_department, make_item, make_letter, make_proposal, make_response
from test_api_proposals import build_world

from responses.models import Commitment, CommitmentProgress, Response

pytestmark = pytest.mark.django_db

REPLIES = reverse("opendata:reply-list")
COMMITMENTS = reverse("opendata:commitment-list")
TODAY = timezone.localdate()


@pytest.fixture
def world(db):
    world = build_world()
    # Commitments in a public reply and in every hidden one.
    public = world["public_reply"]
    item = make_item(public, 1)
    world["kept"] = make_commitment(
        item, status=Commitment.Status.DONE, due_on=TODAY - datetime.timedelta(days=9)
    )
    child = make_item(public, 1, parent=item, number_label="（一）")
    world["late"] = make_commitment(child, due_on=TODAY - datetime.timedelta(days=1), owner=world["co"])
    world["hidden_commitments"] = [make_commitment(make_item(reply, 1)) for reply in world["hidden_replies"]]
    return world


def ids(response):
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


class TestReplies:
    def test_only_public_replies_of_published_proposals_are_listed(self, client, world):
        assert ids(client.get(REPLIES)) == [world["public_reply"].pk]

    def test_hidden_replies_are_not_found(self, client, world):
        for reply in world["hidden_replies"]:
            assert client.get(reverse("opendata:reply-detail", args=[reply.pk])).status_code == 404

    def test_hidden_replies_never_appear_nested_or_in_text(self, client, world):
        for url in (REPLIES, COMMITMENTS, reverse("opendata:proposal-list")):
            body = client.get(url).content.decode()
            assert "尚未公开的提案" not in body
            for reply in world["hidden_replies"]:
                assert f"/api/replies/{reply.pk}/" not in body
            for commitment in world["hidden_commitments"]:
                assert f"/api/commitments/{commitment.pk}/" not in body

    def test_items_sub_items_and_commitments_come_nested_in_order(self, client, db):
        letter = make_letter(items=3, children=2)
        data = client.get(reverse("opendata:reply-detail", args=[letter.pk])).json()
        assert [item["position"] for item in data["items"]] == [1, 2, 3]
        first = data["items"][0]
        assert first["paragraphs"] == ["第1条的办理情况。", "下一步，我们将落实第1条。"]
        assert [child["number_label"] for child in first["children"]] == ["（1）", "（2）"]
        assert first["commitments"][0]["text"] == "下一步，我们将落实第1条。"
        assert first["commitments"][0]["html_url"].endswith(
            f"/replies/{letter.pk}/#commitment-{first['commitments'][0]['id']}"
        )
        assert first["children"][1]["commitments"][0]["text"] == "下一步，我们将落实第2条。"
        assert data["proposal"]["id"] == letter.proposal_id
        assert data["opening"] == ["您提出的提案收悉，现答复如下："]

    def test_the_seed_letter_reads_as_published(self, client, seed_letter):
        data = client.get(reverse("opendata:reply-detail", args=[seed_letter.pk])).json()
        assert data["title_lines"] == ["关于自治区政协十二届三次会议", "第20200287号提案答复的函"]
        assert [item["number_label"] for item in data["items"]] == ["一、", "二、", "三、", "四、", "五、"]
        assert len(data["items"][4]["children"]) == 2
        assert sum(len(item["commitments"]) for item in data["items"]) == 6

    def test_newest_first_and_filters(self, client, world):
        older = make_response(
            make_proposal(world["s2023"]),
            world["other"],
            result_class="A",
            published_on=datetime.date(2023, 8, 1),
        )
        newest = make_response(
            make_proposal(world["s2024"]), world["other"], published_on=datetime.date(2024, 9, 1)
        )
        assert ids(client.get(REPLIES)) == [newest.pk, world["public_reply"].pk, older.pk]
        assert ids(client.get(REPLIES, {"department": world["other"].pk})) == [newest.pk, older.pk]
        assert ids(client.get(REPLIES, {"session": world["s2023"].pk})) == [older.pk]
        assert ids(client.get(REPLIES, {"result_class": "A"})) == [older.pk]
        assert ids(client.get(REPLIES, {"published_after": "2024-07-01"})) == [
            newest.pk,
            world["public_reply"].pk,
        ]
        assert ids(client.get(REPLIES, {"proposal": world["hydrogen"].pk})) == [world["public_reply"].pk]

    @pytest.mark.parametrize("rows", [1, 20])
    def test_query_count_is_constant(self, client, django_assert_num_queries, rows):
        for _ in range(rows):
            make_letter(items=2, children=1)
        # count; page with proposal, session, committee and department; items; commitments with owners
        with django_assert_num_queries(4):
            assert len(ids(client.get(REPLIES))) == rows


def test_a_reply_takes_three_queries_whatever_its_length(client, django_assert_num_queries, db):
    for size in (1, 6):
        letter = make_letter(items=size, children=size)
        # reply with proposal, session, committee and department; items; commitments with owners
        with django_assert_num_queries(3):
            data = client.get(reverse("opendata:reply-detail", args=[letter.pk])).json()
        assert len(data["items"]) == size


class TestCommitments:
    def test_only_commitments_of_public_replies_are_listed(self, client, world):
        assert set(ids(client.get(COMMITMENTS))) == {world["kept"].pk, world["late"].pk}
        for commitment in world["hidden_commitments"]:
            assert client.get(reverse("opendata:commitment-detail", args=[commitment.pk])).status_code == 404

    def test_rows_name_owner_reply_proposal_and_overdue(self, client, world):
        rows = {row["id"]: row for row in client.get(COMMITMENTS).json()["results"]}
        late, kept = rows[world["late"].pk], rows[world["kept"].pk]
        assert (late["owner"]["name"], late["overdue"], late["status"]) == ("财政厅", True, "planned")
        assert (kept["owner"]["name"], kept["overdue"]) == ("科技厅", False)  # no owner: the replying unit
        assert late["reply"]["id"] == world["public_reply"].pk
        assert late["proposal"]["title"] == "关于发展氢能产业的建议"
        assert late["html_url"].endswith(f"#commitment-{world['late'].pk}")

    @pytest.mark.parametrize(
        "query, expected",
        [
            ({"overdue": "true"}, ["late"]),
            ({"overdue": "false"}, ["kept"]),
            ({"status": "done"}, ["kept"]),
            ({"owner": "co"}, ["late"]),
            ({"owner": "lead"}, ["kept"]),
            ({"session": "s2023"}, []),
        ],
    )
    def test_filters(self, client, world, query, expected):
        query = {key: world[value].pk if value in world else value for key, value in query.items()}
        assert set(ids(client.get(COMMITMENTS, query))) == {world[name].pk for name in expected}

    def test_a_commitment_without_due_date_is_not_overdue(self, client, world):
        undated = make_commitment(make_item(world["public_reply"], 2))
        assert undated.pk in ids(client.get(COMMITMENTS, {"overdue": "false"}))

    def test_detail_shows_progress_in_order(self, client, world):
        commitment = world["late"]
        CommitmentProgress.objects.create(
            commitment=commitment, reported_on=datetime.date(2024, 9, 1), status="in_progress", text="已启动"
        )
        CommitmentProgress.objects.create(
            commitment=commitment, reported_on=datetime.date(2024, 3, 1), status="planned", text="已列入计划"
        )
        data = client.get(reverse("opendata:commitment-detail", args=[commitment.pk])).json()
        assert [p["text"] for p in data["progress"]] == ["已列入计划", "已启动"]

    @pytest.mark.parametrize("updates", [1, 10])
    def test_detail_query_count_is_constant(self, client, world, django_assert_num_queries, updates):
        for day in range(1, updates + 1):
            CommitmentProgress.objects.create(
                commitment=world["late"],
                reported_on=datetime.date(2024, 1, day),
                status="planned",
                text="进展",
            )
        # commitment with owner, item, reply, department and proposal; progress reports
        with django_assert_num_queries(2):
            data = client.get(reverse("opendata:commitment-detail", args=[world["late"].pk])).json()
        assert len(data["progress"]) == updates

    @pytest.mark.parametrize("rows", [1, 20])
    def test_query_count_is_constant(self, client, django_assert_num_queries, rows):
        owner = make_department()
        for _ in range(rows):
            make_commitment(make_item(make_response(), 1), owner=owner)
        # count; page with owner, item, reply, reply's department and proposal
        with django_assert_num_queries(2):
            assert len(ids(client.get(COMMITMENTS))) == rows


def test_on_request_replies_stay_out_even_when_published(client, db):
    reply = make_response(disclosure=Response.Disclosure.ON_REQUEST)
    assert ids(client.get(REPLIES)) == []
    assert client.get(reverse("opendata:reply-detail", args=[reply.pk])).status_code == 404
