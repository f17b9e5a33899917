"""Optimistic locking of the reply editor: two people editing one draft never silently overwrite
each other. The second save is refused, names what changed, shows the values now stored, and
keeps the second editor's input on the page."""

import json

import pytest
from django.urls import reverse
from test_department_support import form_data, make_case, make_draft, make_user

from responses import drafting
from responses.models import Response, ResponseItem

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(personas):
    return make_draft(make_case(), personas["lead"])


@pytest.fixture
def two_editors(client_for, personas):
    from django.test import Client

    colleague = Client()
    colleague.force_login(make_user("keji2", "自治区科技厅"))
    return client_for("lead"), colleague


def edit_url(reply):
    return reverse("department:reply_edit", args=[reply.pk])


def test_the_second_of_two_saves_is_refused_and_names_the_changed_field(two_editors, draft):
    first, second = two_editors
    first_data = form_data(first.get(edit_url(draft)).content)
    second_data = form_data(second.get(edit_url(draft)).content)

    first_data["title"] = "关于氢能提案答复的函"
    assert first.post(edit_url(draft), first_data).status_code == 302

    second_data["salutation"] = "蒋俏玲委员："
    refused = second.post(edit_url(draft), second_data)

    assert refused.status_code == 409
    page = refused.content.decode()
    assert "未保存：您打开本页之后，他人已修改并保存了这份答复。" in page
    stale_box = page[page.index('class="alert alert-danger stale-edit"') : page.index("</dl>")]
    assert "<dt>标题</dt><dd>关于氢能提案答复的函</dd>" in stale_box
    assert "称呼" not in stale_box  # only what the other editor changed
    draft.refresh_from_db()
    assert (draft.title, draft.salutation, draft.lock_version) == ("关于氢能提案答复的函", "蒋俏玲代表：", 1)
    # the refused editor keeps their input, now based on the stored version
    kept = form_data(page)
    assert kept["salutation"] == "蒋俏玲委员："
    assert kept["lock_version"] == "1"


def test_after_looking_the_second_editor_may_save_knowingly(two_editors, draft):
    first, second = two_editors
    first_data = form_data(first.get(edit_url(draft)).content)
    second_data = form_data(second.get(edit_url(draft)).content)
    first_data["title"] = "关于氢能提案答复的函"
    first.post(edit_url(draft), first_data)
    second_data["salutation"] = "蒋俏玲委员："
    kept = form_data(second.post(edit_url(draft), second_data).content)

    assert second.post(edit_url(draft), kept).status_code == 302
    draft.refresh_from_db()
    assert draft.salutation == "蒋俏玲委员："
    assert draft.lock_version == 2


def test_a_change_to_the_items_is_named_too(two_editors, draft):
    first, second = two_editors
    first_data = form_data(first.get(edit_url(draft)).content)
    second_data = form_data(second.get(edit_url(draft)).content)
    items = json.loads(first_data["structure"])
    items[1]["heading"] = "关于氢能示范应用的建议"
    first_data["structure"] = json.dumps(items)
    assert first.post(edit_url(draft), first_data).status_code == 302

    second_data["closing"] = "谢谢。"
    page = second.post(edit_url(draft), second_data).content.decode()

    stale_box = page[page.index("stale-edit") : page.index("</dl>")]
    assert "条目、子条目与承诺" in stale_box
    assert "二、关于氢能示范应用的建议" in stale_box
    draft.refresh_from_db()
    assert draft.closing != "谢谢。"


def test_sending_the_draft_to_sign_off_makes_open_editors_stale(two_editors, draft):
    first, second = two_editors
    second_data = form_data(second.get(edit_url(draft)).content)
    Response.objects.filter(pk=draft.pk).update(result_class="B")
    first.post(reverse("department:reply_submit", args=[draft.pk]))

    second_data["closing"] = "谢谢。"
    page = second.post(edit_url(draft), second_data)
    assert page.status_code == 409
    assert "<dt>状态</dt><dd>待签发</dd>" in page.content.decode()


def test_only_one_of_two_claims_on_the_same_version_wins(draft):
    # What two concurrent saves do in the database: the conditional UPDATE lets one through.
    one = Response.objects.get(pk=draft.pk)
    other = Response.objects.get(pk=draft.pk)
    drafting.claim_edit(one, 0)
    with pytest.raises(drafting.StaleEdit):
        drafting.claim_edit(other, 0)
    draft.refresh_from_db()
    assert draft.lock_version == 1


def test_a_refused_save_writes_nothing_at_all(two_editors, draft):
    first, second = two_editors
    first_data = form_data(first.get(edit_url(draft)).content)
    second_data = form_data(second.get(edit_url(draft)).content)
    first_data["title"] = "甲"
    first.post(edit_url(draft), first_data)

    second_data["structure"] = json.dumps(
        [*json.loads(second_data["structure"]), {"heading": "新增的条目", "paragraphs": "内容。"}]
    )
    second.post(edit_url(draft), second_data)

    assert not ResponseItem.objects.filter(response=draft, heading="新增的条目").exists()


def test_a_save_losing_the_race_after_the_version_check_is_refused_too(two_editors, draft, monkeypatch):
    # The version check before validation passes; someone saves while the forms are validated;
    # the conditional UPDATE then finds the version gone.
    from responses.editor import ReplyEditor

    first, _second = two_editors
    data = form_data(first.get(edit_url(draft)).content)
    data["title"] = "我的标题"
    real_is_valid = ReplyEditor.is_valid

    def someone_saves_meanwhile(editor):
        Response.objects.filter(pk=editor.response.pk).update(lock_version=1, salutation="他人改的：")
        return real_is_valid(editor)

    monkeypatch.setattr(ReplyEditor, "is_valid", someone_saves_meanwhile)
    refused = first.post(edit_url(draft), data)

    assert refused.status_code == 409
    assert "<dt>称呼</dt><dd>他人改的：</dd>" in refused.content.decode()
    draft.refresh_from_db()
    assert (draft.salutation, draft.lock_version) == ("他人改的：", 1)
    assert draft.title != "我的标题"


def test_a_tampered_snapshot_counts_as_everything_changed(draft):
    assert "title" in drafting.changed_fields("not-a-signed-value", draft)
    assert drafting.changed_fields(drafting.snapshot(draft), draft) == []
