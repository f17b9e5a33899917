"""Drafting the reply: starting the draft, the edit page's formsets, reordering, the live preview."""

import html
import json
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


def tree(data):
    """The posted structure (items, sub-items, commitments) of an edit form."""
    return json.loads(data["structure"])


def post(client, reply, data, items):
    """Post the edit form with `items` as its structure."""
    return client.post(edit_url(reply), {**data, "structure": json.dumps(items, ensure_ascii=False)})


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
        data = load(lead, draft)
        first, second = items_of(draft)
        assert tree(data) == [
            {
                "id": first.pk,
                "heading": "关于第1条建议",
                "paragraphs": "第1条已经办理。\n下一步，我们将落实第1条。",
                "answers": [],
                "commitments": [
                    {
                        "id": Commitment.objects.get(item=first).pk,
                        "text": "下一步，我们将落实第1条。",
                        "owner": str(draft.department_id),
                        "due_on": "",
                    }
                ],
                "children": [],
            },
            {
                "id": second.pk,
                "heading": "关于第2条建议",
                "paragraphs": "第2条已经办理。\n下一步，我们将落实第2条。",
                "answers": [],
                "commitments": [],
                "children": [],
            },
        ]
        assert data["lock_version"] == str(draft.lock_version)

    def test_no_empty_block_looks_required(self, lead, draft):
        page = lead.get(edit_url(draft)).content.decode()
        start = page.index('id="reply-form"')
        form = page[start : page.index("</form>", start)]
        items = form[form.index('id="items-heading"') : form.index("结尾与落款")]
        assert "承诺内容*" not in form and "asteriskField" not in items and "required" not in items
        assert "DELETE" not in form and "ORDER" not in form

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
    def test_a_whole_letter_is_written_in_one_save(self, lead, draft):
        first, second = items_of(draft)
        data = load(lead, draft)
        data["title"] = "关于自治区政协十二届三次会议\n第20200999号提案的答复"
        data["result_class"] = "B"
        items = tree(data)
        items[1]["heading"] = "关于氢能示范应用的建议"
        items[1]["commitments"] = [
            {"id": None, "text": "下一步，我们将落实第2条。", "owner": "", "due_on": "2026-12-31"}
        ]
        items[1]["children"] = [
            {
                "id": None,
                "heading": "关于加氢站",
                "paragraphs": "已建两座。\n下一步，将新建三座。",
                "commitments": [
                    {"id": None, "text": "下一步，将新建三座。", "owner": str(draft.department_id)}
                ],
            },
            {"id": None, "heading": "关于标准", "paragraphs": "正在制定。"},
        ]
        items.append(
            {
                "id": None,
                "heading": "关于人才培养的建议",
                "paragraphs": "我们将加强氢能人才培养。",
                "commitments": [{"id": None, "text": "我们将加强氢能人才培养。"}],
            }
        )

        response = post(lead, draft, data, items)

        assert response.status_code == 302
        draft.refresh_from_db()
        assert draft.title.splitlines()[1] == "第20200999号提案的答复"
        assert draft.result_class == "B"
        assert draft.lock_version == 1
        outline = drafting.items_outline(draft)
        assert [(item["label"], item["heading"]) for item in outline] == [
            ("一、", "关于第1条建议"),
            ("二、", "关于氢能示范应用的建议"),
            ("三、", "关于人才培养的建议"),
        ]
        assert [(child["label"], child["heading"]) for child in outline[1]["children"]] == [
            ("（一）", "关于加氢站"),
            ("（二）", "关于标准"),
        ]
        assert outline[1]["children"][0]["commitments"] == [["下一步，将新建三座。", draft.department_id, ""]]
        promise = Commitment.objects.get(item=second)
        assert (promise.text, str(promise.due_on), promise.position) == (
            "下一步，我们将落实第2条。",
            "2026-12-31",
            1,
        )
        assert Commitment.objects.filter(item__response=draft).count() == 4

    def test_browser_line_ends_are_stored_as_plain_newlines(self, lead, draft):
        first, _second = items_of(draft)
        data = load(lead, draft)
        data["title"] = "关于氢能提案\r\n答复的函"
        items = tree(data)
        items[0]["paragraphs"] = "第1条已经办理。\r\n下一步，我们将落实第1条。"
        assert post(lead, draft, data, items).status_code == 302
        draft.refresh_from_db()
        first.refresh_from_db()
        assert draft.title == "关于氢能提案\n答复的函"
        assert first.paragraphs == "第1条已经办理。\n下一步，我们将落实第1条。"

    def test_an_unchanged_save_rewrites_no_row(self, lead, draft):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        data = load(lead, draft)
        with CaptureQueriesContext(connection) as captured:
            assert lead.post(edit_url(draft), data).status_code == 302
        writes = [q["sql"] for q in captured if q["sql"].startswith(("INSERT", "UPDATE", "DELETE"))]
        # the lock version, the letter's own row and its history row: no item or commitment
        assert not [sql for sql in writes if "responseitem" in sql or "commitment" in sql], writes

    def test_a_commitment_not_quoted_from_its_item_is_an_error_and_nothing_is_saved(self, lead, draft):
        first, second = items_of(draft)
        data = load(lead, draft)
        data["title"] = "改过的标题"
        items = tree(data)
        items[1]["commitments"] = [{"id": None, "text": "下一步，我们将全面完成。"}]

        page = post(lead, draft, data, items)

        assert page.status_code == 200
        body = page.content.decode()
        assert "二、承诺1：承诺内容须是该条目正文中的原文。" in body  # in the summary, named by place
        kept = tree(form_data(body))
        assert kept[1]["commitments"][0]["text"] == "下一步，我们将全面完成。"  # the input is kept
        assert "承诺内容须是该条目正文中的原文。" in html.unescape(body.split('name="structure"')[1][:3000])
        draft.refresh_from_db()
        assert draft.title != "改过的标题"
        assert draft.lock_version == 0
        assert not Commitment.objects.filter(item=second).exists()

    def test_a_commitment_may_quote_text_added_to_its_item_in_the_same_save(self, lead, draft):
        first, second = items_of(draft)
        data = load(lead, draft)
        items = tree(data)
        items[1]["paragraphs"] += "\n下一步，我们将建设氢能示范区。"
        items[1]["commitments"] = [{"id": None, "text": "下一步，我们将建设氢能示范区。"}]
        assert post(lead, draft, data, items).status_code == 302
        assert Commitment.objects.get(item=second).text == "下一步，我们将建设氢能示范区。"

    def test_changing_an_item_so_its_commitment_no_longer_stands_is_refused(self, lead, draft):
        first, _second = items_of(draft)
        data = load(lead, draft)
        items = tree(data)
        items[0]["paragraphs"] = "第1条已经办理。"
        page = post(lead, draft, data, items)
        assert "承诺内容须是该条目正文中的原文。" in page.content.decode()
        first.refresh_from_db()
        assert "下一步" in first.paragraphs

    def test_deleting_an_item_renumbers_the_rest_and_takes_its_commitments(self, lead, draft):
        first, second = items_of(draft)
        data = load(lead, draft)
        assert post(lead, draft, data, tree(data)[1:]).status_code == 302
        assert [(item.pk, item.number_label, item.position) for item in items_of(draft)] == [
            (second.pk, "一、", 1)
        ]
        assert not Commitment.objects.filter(item_id=first.pk).exists()

    def test_a_sub_item_may_move_out_from_under_an_item_that_is_deleted(self, lead, draft):
        first, second = items_of(draft)
        child = ResponseItem.objects.create(
            response=draft, parent=first, position=1, number_label="（一）", heading="甲", paragraphs="甲。"
        )
        data = load(lead, draft)
        items = tree(data)
        moved = items[0]["children"][0]
        items = [items[1]]
        items[0]["children"] = [moved]
        items[0]["commitments"] = [tree(data)[0]["commitments"][0]]  # the promise moves too…
        items[0]["paragraphs"] += "\n下一步，我们将落实第1条。"  # …with its sentence
        assert post(lead, draft, data, items).status_code == 302
        child.refresh_from_db()
        assert (child.parent_id, child.number_label) == (second.pk, "（一）")
        assert Commitment.objects.get(item__response=draft).item_id == second.pk
        assert not ResponseItem.objects.filter(pk=first.pk).exists()


class TestTamperedRows:
    @pytest.mark.parametrize("bad_id", ["foreign", "repeated", "deleted"])
    def test_an_id_not_of_this_reply_is_an_error_on_its_row_never_a_500(self, lead, draft, bad_id):
        from test_department_support import make_case as another_case

        first, second = items_of(draft)
        data = load(lead, draft)
        items = tree(data)
        if bad_id == "foreign":
            other = make_draft(another_case(number="20200998"), None, items=1)
            items[1]["id"] = other.items.get().pk
        elif bad_id == "repeated":
            items[1]["id"] = first.pk
        else:
            ResponseItem.objects.filter(pk=second.pk).delete()  # a colleague deleted it meanwhile
        page = post(lead, draft, data, items)
        assert page.status_code in (200, 409)
        assert "此行已不存在" in page.content.decode()
        kept = tree(form_data(page.content))
        assert kept[1]["id"] is None and kept[1]["heading"] == "关于第2条建议"  # kept as a new row

    @pytest.mark.parametrize(
        "structure",
        [
            "",
            "not json",
            "{}",
            '[{"id": "x"}]',
            '[{"heading": ["a"]}]',
            '[{"commitments": 5}]',
            "[1]",
            '[{"children": [{"children": [{}]}]}]',
            json.dumps([{}] * 201),
        ],
    )
    def test_an_unreadable_structure_is_a_form_error(self, lead, draft, structure):
        data = load(lead, draft)
        data["structure"] = structure
        page = lead.post(edit_url(draft), data)
        assert page.status_code == 200
        assert "条目数据无法读取，未保存。" in page.content.decode()
        assert len(items_of(draft)) == 2

    def test_a_60_item_letter_with_40_commitments_saves_in_one_request(self, lead, draft, settings):
        data = load(lead, draft)
        items = [
            {
                "heading": f"关于第{n}条建议",
                "paragraphs": f"第{n}条已经办理。\n下一步，我们将落实第{n}条。",
                "commitments": [{"text": f"下一步，我们将落实第{n}条。"}] if n <= 40 else [],
            }
            for n in range(1, 61)
        ]
        fields = {**data, "structure": json.dumps(items, ensure_ascii=False)}
        assert len(fields) < settings.DATA_UPLOAD_MAX_NUMBER_FIELDS // 20  # 19 fields, limit 1,000
        assert lead.post(edit_url(draft), fields).status_code == 302
        assert ResponseItem.objects.filter(response=draft).count() == 60
        assert Commitment.objects.filter(item__response=draft).count() == 40
        assert items_of(draft)[-1].number_label == "六十、"


class TestReordering:
    def test_items_reorder_keeping_commitments_and_sub_items_with_their_item(self, lead, draft):
        first, second = items_of(draft)
        child = ResponseItem.objects.create(
            response=draft, parent=first, position=1, number_label="（一）", heading="甲", paragraphs="甲。"
        )
        data = load(lead, draft)
        assert post(lead, draft, data, list(reversed(tree(data)))).status_code == 302
        assert [(item.pk, item.number_label) for item in items_of(draft)] == [
            (second.pk, "一、"),
            (first.pk, "二、"),
        ]
        assert Commitment.objects.get(text="下一步，我们将落实第1条。").item_id == first.pk
        child.refresh_from_db()
        assert child.parent_id == first.pk

    @pytest.mark.parametrize("order", [(2, 0, 1), (1, 2, 0), (0, 2, 1)])
    def test_sub_items_take_any_order_and_are_renumbered(self, lead, draft, order):
        first, _second = items_of(draft)
        children = [
            ResponseItem.objects.create(
                response=draft, parent=first, position=n, number_label=f"（{n}）", heading=f"第{n}小节"
            )
            for n in (1, 2, 3)
        ]
        data = load(lead, draft)
        items = tree(data)
        items[0]["children"] = [items[0]["children"][n] for n in order]
        assert post(lead, draft, data, items).status_code == 302
        assert [(item.pk, item.number_label) for item in items_of(draft, parent=first)] == [
            (children[n].pk, label) for n, label in zip(order, ["（一）", "（二）", "（三）"], strict=True)
        ]


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
        data = load(lead, draft)
        data["title"] = "关于氢能提案的答复"
        data["salutation"] = "蒋俏玲委员："
        first, second = tree(data)
        second["commitments"] = [{"id": None, "text": "下一步，我们将落实第2条。"}]
        items = [second, first, {"heading": "关于标准制定的建议", "paragraphs": "我们将制定氢能标准。"}]
        data["structure"] = json.dumps(items, ensure_ascii=False)

        page = lead.post(reverse("department:reply_preview", args=[draft.pk]), data).content.decode()

        shown = lines(page)
        assert shown[:2] == ["关于氢能提案的答复", "蒋俏玲委员："]
        headings = [line for line in shown if line.endswith("建议")]
        assert headings == ["一、关于第2条建议", "二、关于第1条建议", "三、关于标准制定的建议"]
        assert ">下一步，我们将落实第2条。</mark>" in page
        draft.refresh_from_db()
        assert draft.title.startswith("关于自治区政协")
        assert ResponseItem.objects.filter(response=draft).count() == 2

    def test_a_broken_structure_previews_as_saved_instead_of_failing(self, lead, draft):
        data = load(lead, draft)
        data["structure"] = "[{"
        page = lead.post(reverse("department:reply_preview", args=[draft.pk]), data)
        assert page.status_code == 200
        assert "一、关于第1条建议" in lines(page.content.decode())

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
        assert item_reads == 1  # the editor's rows serve the structure and the stale-edit snapshot alike
