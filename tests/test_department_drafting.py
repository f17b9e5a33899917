"""Drafting the reply: starting the draft, the edit page's formsets, reordering, the live preview."""

import html
import re

import pytest
from django.urls import reverse
from test_department_support import form_data, make_case, make_draft

from proposals.models import Proposal
from responses import drafting
from responses.models import Commitment, Response, ResponseItem

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(personas):
    return make_case()


@pytest.fixture
def draft(case, personas):
    return make_draft(case, personas["lead"])


@pytest.fixture
def lead(client_for):
    return client_for("lead")


def edit_url(reply):
    return reverse("department:reply_edit", args=[reply.pk])


def load(client, reply):
    """The edit form as the browser would post it unchanged."""
    page = client.get(edit_url(reply))
    assert page.status_code == 200
    return form_data(page.content)


def items_of(reply, parent=None):
    return list(ResponseItem.objects.filter(response=reply, parent=parent).order_by("position"))


def prefix_of(data, item):
    """The formset prefix ("items-0") of the row editing `item`."""
    for name, value in data.items():
        if name.endswith("-id") and value == str(item.pk) and name.startswith("items-"):
            return name[: -len("-id")]
    raise AssertionError(f"no row for item {item.pk}")


class TestStartingADraft:
    def test_the_lead_gets_a_prefilled_draft(self, case, lead):
        response = lead.post(reverse("department:start_reply", args=[case.lead.pk]))
        reply = Response.objects.get(proposal=case.proposal)
        assert response.status_code == 302
        assert response["Location"] == edit_url(reply)
        assert (reply.status, reply.version, reply.department) == (
            Response.Status.DRAFT,
            1,
            case.lead.department,
        )
        assert reply.title == "关于自治区政协十二届三次会议\n第20200999号提案答复的函"
        assert reply.salutation == "蒋俏玲代表："
        assert "《关于加快发展氢能产业的建议》" in reply.opening
        assert "自治区发展改革委会办" in reply.opening
        assert reply.copied_to.splitlines() == ["自治区发展改革委", "自治区政协办公厅"]

    def test_asking_again_opens_the_same_draft(self, case, lead, draft):
        response = lead.post(reverse("department:start_reply", args=[case.lead.pk]))
        assert response["Location"] == edit_url(draft)
        assert lead.get(reverse("department:start_reply", args=[case.lead.pk]))["Location"] == edit_url(draft)
        assert Response.objects.filter(proposal=case.proposal).count() == 1

    def test_without_a_draft_get_asks_for_confirmation_and_creates_nothing(self, case, lead):
        page = lead.get(reverse("department:start_reply", args=[case.lead.pk]))
        assert page.status_code == 200
        assert "建立答复草稿" in page.content.decode()
        assert not Response.objects.filter(proposal=case.proposal).exists()

    def test_drafting_waits_for_receipt(self, personas, lead):
        case = make_case(received=False)
        response = lead.post(reverse("department:start_reply", args=[case.lead.pk]), follow=True)
        assert "请先签收此交办。" in response.content.decode()
        assert not Response.objects.filter(proposal=case.proposal).exists()

    def test_an_issued_reply_gets_a_new_version_only_for_rehandling(self, case, lead, draft):
        Response.objects.filter(pk=draft.pk).update(status=Response.Status.ISSUED)
        refused = lead.post(reverse("department:start_reply", args=[case.lead.pk]), follow=True)
        assert "本单位已签发答复。如需修改，请在答复页面发起更正。" in refused.content.decode()
        assert Response.objects.filter(proposal=case.proposal).count() == 1

        Proposal.objects.filter(pk=case.proposal.pk).update(status=Proposal.Status.REHANDLING)
        lead.post(reverse("department:start_reply", args=[case.lead.pk]))
        second = Response.objects.get(proposal=case.proposal, version=2)
        assert second.status == Response.Status.DRAFT
        draft.refresh_from_db()
        assert draft.status == Response.Status.ISSUED


class TestEditPage:
    def test_it_shows_every_part_of_the_letter_as_fields(self, lead, draft):
        page = lead.get(edit_url(draft)).content.decode()
        for label in [
            "标题",
            "文号",
            "签发人",
            "称呼",
            "开头",
            "结束语",
            "联系人",
            "抄送",
            "办复类别",
            "公开属性",
        ]:
            assert label in page
        data = form_data(page)
        item = items_of(draft)[0]
        assert data[f"com-{item.pk}-0-text"] == "下一步，我们将落实第1条。"
        assert f"sub-{item.pk}-TOTAL_FORMS" in data
        assert data["lock_version"] == str(draft.lock_version)

    def test_result_classes_are_the_committees(self, lead, draft):
        page = lead.get(edit_url(draft)).content.decode()
        assert "B类：所提问题正在解决或已列入计划逐步解决" in page
        assert 'value="D"' not in page

        committee = draft.proposal.session.committee
        committee.result_d_label = "留作参考"
        committee.save()
        assert "D类：留作参考" in lead.get(edit_url(draft)).content.decode()

    def test_class_d_is_refused_when_the_committee_has_three_classes(self, lead, draft):
        data = load(lead, draft)
        data["result_class"] = "D"
        page = lead.post(edit_url(draft), data)
        assert page.status_code == 200
        assert "选择一个有效的选项" in page.content.decode()
        draft.refresh_from_db()
        assert draft.result_class == ""


class TestSaving:
    def test_it_saves_letter_fields_items_and_commitments_together(self, lead, draft):
        first, second = items_of(draft)
        data = load(lead, draft)
        data["title"] = "关于自治区政协十二届三次会议\n第20200999号提案的答复"
        data["result_class"] = "B"
        data[f"{prefix_of(data, second)}-heading"] = "关于氢能示范应用的建议"
        data[f"com-{second.pk}-0-text"] = "下一步，我们将落实第2条。"
        data[f"com-{second.pk}-0-due_on"] = "2026-12-31"
        data["items-2-heading"] = "关于人才培养的建议"
        data["items-2-paragraphs"] = "我们将加强氢能人才培养。"

        response = lead.post(edit_url(draft), data)

        assert response.status_code == 302
        draft.refresh_from_db()
        assert draft.title.splitlines()[1] == "第20200999号提案的答复"
        assert draft.result_class == "B"
        assert draft.lock_version == 1
        headings = [(item.number_label, item.heading) for item in items_of(draft)]
        assert headings == [
            ("一、", "关于第1条建议"),
            ("二、", "关于氢能示范应用的建议"),
            ("三、", "关于人才培养的建议"),
        ]
        promise = Commitment.objects.get(item=second)
        assert (promise.text, str(promise.due_on), promise.position) == (
            "下一步，我们将落实第2条。",
            "2026-12-31",
            1,
        )

    def test_browser_line_ends_are_stored_as_plain_newlines(self, lead, draft):
        first, _second = items_of(draft)
        data = load(lead, draft)
        data["title"] = "关于氢能提案\r\n答复的函"
        data[f"{prefix_of(data, first)}-paragraphs"] = "第1条已经办理。\r\n下一步，我们将落实第1条。"
        assert lead.post(edit_url(draft), data).status_code == 302
        draft.refresh_from_db()
        first.refresh_from_db()
        assert draft.title == "关于氢能提案\n答复的函"
        assert first.paragraphs == "第1条已经办理。\n下一步，我们将落实第1条。"

    def test_a_new_commitment_belongs_to_the_answering_department_unless_changed(self, lead, draft):
        _first, second = items_of(draft)
        data = load(lead, draft)
        assert data[f"com-{second.pk}-0-owner"] == str(draft.department_id)
        data[f"com-{second.pk}-0-text"] = "下一步，我们将落实第2条。"
        lead.post(edit_url(draft), data)
        assert Commitment.objects.get(item=second).owner_id == draft.department_id

    def test_a_commitment_not_quoted_from_its_item_is_a_field_error_and_nothing_is_saved(self, lead, draft):
        first, second = items_of(draft)
        data = load(lead, draft)
        data["title"] = "改过的标题"
        data[f"com-{second.pk}-0-text"] = "下一步，我们将全面完成。"

        page = lead.post(edit_url(draft), data)

        assert page.status_code == 200
        body = page.content.decode()
        assert "承诺内容须是该条目正文中的原文。" in body
        assert 'id="error_1_id_com-' in body  # crispy puts the error under the field
        draft.refresh_from_db()
        assert draft.title != "改过的标题"
        assert draft.lock_version == 0
        assert not Commitment.objects.filter(item=second).exists()

    def test_a_commitment_may_quote_text_added_to_its_item_in_the_same_save(self, lead, draft):
        first, second = items_of(draft)
        data = load(lead, draft)
        row = prefix_of(data, second)
        data[f"{row}-paragraphs"] += "\n下一步，我们将建设氢能示范区。"
        data[f"com-{second.pk}-0-text"] = "下一步，我们将建设氢能示范区。"
        assert lead.post(edit_url(draft), data).status_code == 302
        assert Commitment.objects.get(item=second).text == "下一步，我们将建设氢能示范区。"

    def test_changing_an_item_so_its_commitment_no_longer_stands_is_refused(self, lead, draft):
        first, _second = items_of(draft)
        data = load(lead, draft)
        data[f"{prefix_of(data, first)}-paragraphs"] = "第1条已经办理。"
        page = lead.post(edit_url(draft), data)
        assert "承诺内容须是该条目正文中的原文。" in page.content.decode()
        first.refresh_from_db()
        assert "下一步" in first.paragraphs

    def test_sub_items_are_numbered_and_carry_their_own_commitments(self, lead, draft):
        first, _second = items_of(draft)
        data = load(lead, draft)
        data[f"sub-{first.pk}-0-heading"] = "关于加氢站的问题"
        data[f"sub-{first.pk}-0-paragraphs"] = "已建成加氢站两座。\n下一步，将新建三座。"
        assert lead.post(edit_url(draft), data).status_code == 302
        (child,) = items_of(draft, parent=first)
        assert (child.number_label, child.position, child.response_id) == ("（一）", 1, draft.pk)

        data = load(lead, draft)
        data[f"com-{child.pk}-0-text"] = "下一步，将新建三座。"
        assert lead.post(edit_url(draft), data).status_code == 302
        assert Commitment.objects.get(item=child).text == "下一步，将新建三座。"

    def test_deleting_an_item_renumbers_the_rest(self, lead, draft):
        first, second = items_of(draft)
        data = load(lead, draft)
        data[f"{prefix_of(data, first)}-DELETE"] = "on"
        assert lead.post(edit_url(draft), data).status_code == 302
        assert [(item.pk, item.number_label, item.position) for item in items_of(draft)] == [
            (second.pk, "一、", 1)
        ]
        assert not Commitment.objects.filter(item_id=first.pk).exists()


class TestReordering:
    def test_move_up_swaps_and_renumbers_keeping_commitments_with_their_item(self, lead, draft):
        first, second = items_of(draft)
        data = load(lead, draft)
        data["move"] = f"{prefix_of(data, second)}:up"
        assert lead.post(edit_url(draft), data).status_code == 302
        now = items_of(draft)
        assert [(item.pk, item.number_label) for item in now] == [(second.pk, "一、"), (first.pk, "二、")]
        assert Commitment.objects.get(text="下一步，我们将落实第1条。").item_id == first.pk

    def test_the_order_field_renumbers_too(self, lead, draft):
        first, second = items_of(draft)
        data = load(lead, draft)
        data[f"{prefix_of(data, first)}-ORDER"] = "2"
        data[f"{prefix_of(data, second)}-ORDER"] = "1"
        assert lead.post(edit_url(draft), data).status_code == 302
        assert [item.pk for item in items_of(draft)] == [second.pk, first.pk]

    def test_moving_the_first_item_up_changes_nothing(self, lead, draft):
        first, second = items_of(draft)
        data = load(lead, draft)
        data["move"] = f"{prefix_of(data, first)}:up"
        assert lead.post(edit_url(draft), data).status_code == 302
        assert [item.pk for item in items_of(draft)] == [first.pk, second.pk]

    def test_sub_items_move_within_their_item(self, lead, draft):
        first, _second = items_of(draft)
        a = ResponseItem.objects.create(
            response=draft, parent=first, position=1, number_label="（一）", heading="甲"
        )
        b = ResponseItem.objects.create(
            response=draft, parent=first, position=2, number_label="（二）", heading="乙"
        )
        data = load(lead, draft)
        row = next(name[:-3] for name, value in data.items() if name.endswith("-id") and value == str(b.pk))
        data["move"] = f"{row}:up"
        assert lead.post(edit_url(draft), data).status_code == 302
        assert [(item.pk, item.number_label) for item in items_of(draft, parent=first)] == [
            (b.pk, "（一）"),
            (a.pk, "（二）"),
        ]

    def test_renumber_survives_any_permutation(self, draft):
        items = items_of(draft)
        for n in range(3, 6):
            ResponseItem.objects.create(response=draft, position=n, heading=f"第{n}条")
        items = items_of(draft)
        drafting.renumber(list(reversed(items)))
        assert [item.number_label for item in items_of(draft)] == ["一、", "二、", "三、", "四、", "五、"]
        assert [item.pk for item in items_of(draft)] == [item.pk for item in reversed(items)]


BLOCK_END = re.compile(r"<br\s*/?>|</(p|h1|h2|h3|li|div)>")
TAG = re.compile(r"<[^>]+>")


def lines(fragment):
    text = html.unescape(TAG.sub("", BLOCK_END.sub("\n", fragment)))
    return [line.strip() for line in text.splitlines() if line.strip()]


class TestPreview:
    def test_get_shows_the_saved_letter(self, lead, draft):
        page = lead.get(reverse("department:reply_preview", args=[draft.pk])).content.decode()
        assert page.lstrip().startswith('<article class="letter"')
        assert "<html" not in page
        shown = lines(page)
        assert shown[:4] == [
            "关于自治区政协十二届三次会议",
            "第20200999号提案答复的函",
            "蒋俏玲代表：",
            shown[3],
        ]
        assert "一、关于第1条建议" in shown and "二、关于第2条建议" in shown
        assert '<mark class="commitment"' in page

    def test_post_shows_the_unsaved_input_in_its_new_order_and_saves_nothing(self, lead, draft):
        first, second = items_of(draft)
        data = load(lead, draft)
        data["title"] = "关于氢能提案的答复"
        data["salutation"] = "蒋俏玲委员："
        data[f"{prefix_of(data, first)}-ORDER"] = "3"
        data["items-2-heading"] = "关于标准制定的建议"
        data["items-2-paragraphs"] = "我们将制定氢能标准。"
        data[f"com-{second.pk}-0-text"] = "下一步，我们将落实第2条。"

        page = lead.post(reverse("department:reply_preview", args=[draft.pk]), data).content.decode()

        shown = lines(page)
        assert shown[:2] == ["关于氢能提案的答复", "蒋俏玲委员："]
        headings = [line for line in shown if line.endswith("建议")]
        # the first item moved behind the second; a new row without an order number comes last
        assert headings == ["一、关于第2条建议", "二、关于第1条建议", "三、关于标准制定的建议"]
        assert ">下一步，我们将落实第2条。</mark>" in page
        draft.refresh_from_db()
        assert draft.title.startswith("关于自治区政协")
        assert ResponseItem.objects.filter(response=draft).count() == 2

    def test_the_edit_page_loads_the_live_preview_script_and_shows_the_letter(self, lead, draft):
        page = lead.get(edit_url(draft)).content.decode()
        assert 'src="/static/department/reply_edit.js"' in page
        assert 'data-preview-url="/department/replies/' in page
        assert '<article class="letter"' in page
        assert "<script>" not in page and 'style="' not in page


class TestEditPageQueries:
    def test_the_edit_page_reads_the_items_once_whatever_their_number(self, lead, draft):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        def queries():
            with CaptureQueriesContext(connection) as captured:
                assert lead.get(edit_url(draft)).status_code == 200
            sql = [query["sql"] for query in captured.captured_queries]
            item_reads = [s for s in sql if s.startswith("SELECT") and 'FROM "responses_responseitem"' in s]
            return len(sql), len(item_reads)

        before, item_reads = queries()
        item = ResponseItem.objects.create(
            response=draft, position=99, heading="新增一节", paragraphs="下一步，继续推进。"
        )
        Commitment.objects.create(item=item, position=1, text="下一步，继续推进。", owner=draft.department)
        assert queries() == (before, item_reads)
        assert item_reads == 1  # the editor's rows serve the formsets and the stale-edit snapshot alike
