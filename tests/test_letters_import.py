"""The office imports a reply letter: paste (or upload) → check the parsed fields beside the
original → confirm the matches → one transaction creates or completes the records."""

import datetime
import io
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from proposals.models import (
    Assignment,
    Committee,
    Department,
    Event,
    Profile,
    Proposal,
    ProposalProposer,
    Proposer,
    Session,
)
from responses import importing
from responses.docx_letter import build_docx
from responses.models import Commitment, Response, ResponseItem
from responses.parsing import parse_letter

pytestmark = pytest.mark.django_db

SEED_TEXT = (Path(__file__).parent / "data" / "seed_letter.txt").read_text(encoding="utf-8")
LETTER_01 = (Path(__file__).parent / "data" / "letters" / "01_header_top_proposal.txt").read_text(
    encoding="utf-8"
)
PERSONAS = ["office", "lead", "co", "unrelated", "proposer", "other_delegate", "anonymous"]
COUNTED = [
    Session,
    Department,
    Proposer,
    Proposal,
    ProposalProposer,
    Assignment,
    Response,
    ResponseItem,
    Commitment,
    Event,
]


def counts():
    return {model.__name__: model.objects.count() for model in COUNTED}


class FormReader(HTMLParser):
    """The fields of one <form> as a browser would send them (checked boxes and selected options)."""

    def __init__(self, form_class):
        super().__init__()
        self.form_class, self.inside, self.data = form_class, False, {}
        self.select = self.textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and self.form_class in (attrs.get("class") or "").split():
            self.inside = True
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind == "checkbox":
                if "checked" in attrs:
                    self.data[name] = "on"
            elif kind not in ("submit", "file"):
                self.data[name] = attrs.get("value", "")
        elif tag == "select":
            self.select = name
            self.data.setdefault(name, None)
        elif tag == "option" and self.select:
            if self.data[self.select] is None or "selected" in attrs:
                self.data[self.select] = attrs.get("value", "")
        elif tag == "textarea":
            self.textarea = name
            self.data[name] = ""

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None

    def handle_data(self, data):
        if self.textarea:
            self.data[self.textarea] += data


def form_data(page, form_class="letters-form"):
    reader = FormReader(form_class)
    reader.feed(page)
    data = reader.data
    # A browser drops the first newline after <textarea>; Django writes one.
    return {
        key: (value[1:] if isinstance(value, str) and value.startswith("\n") else value)
        for key, value in data.items()
    }


def confirm_everything_new(data):
    """Tick every "create new" box on the page (the office confirms each new record)."""
    for key, value in list(data.items()):
        if key.endswith("match") and value == "new":
            prefix = key[: -len("match")]
            data[f"{prefix}create"] = "on"
    return data


@pytest.fixture
def office_user(db):
    user = get_user_model().objects.create_user("clerk", password="x")
    Profile.objects.create(user=user, role=Profile.Role.OFFICE)
    return user


@pytest.fixture
def office(client, office_user):
    client.force_login(office_user)
    return client


@pytest.fixture
def committee(db):
    return Committee.objects.create(name="中国人民政治协商会议广西壮族自治区委员会", short_name="自治区政协")


def paste(client, text):
    return client.post(reverse("letters:import"), {"text": text})


def confirm(client, data, action="save"):
    return client.post(reverse("letters:import_confirm"), {**data, "action": action})


# --------------------------------------------------------------------------- access


MATRIX = [
    ("letters:import", "get", {**dict.fromkeys(PERSONAS, 403), "office": 200, "anonymous": "login"}),
    # An empty POST has no signed letter: the office is sent back to paste one.
    ("letters:import_confirm", "post", {**dict.fromkeys(PERSONAS, 403), "office": 302, "anonymous": "login"}),
]


@pytest.mark.parametrize(
    ("name", "method", "persona", "expected"),
    [(name, method, persona, outcome[persona]) for name, method, outcome in MATRIX for persona in PERSONAS],
)
def test_access(client_for, name, method, persona, expected):
    response = getattr(client_for(persona), method)(reverse(name))
    if expected == "login":
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    else:
        assert response.status_code == expected
    if persona == "office" and name == "letters:import_confirm":
        assert response["Location"] == reverse("letters:import")


def test_confirm_only_accepts_post(office):
    assert office.get(reverse("letters:import_confirm")).status_code == 405


def test_a_tampered_letter_is_refused(office, committee):
    response = confirm(office, {"source": "not-signed"})
    assert response.status_code == 302
    assert "导入内容已失效" in office.get(reverse("letters:import")).content.decode()


# --------------------------------------------------------------------------- step 1: paste


def test_the_paste_page_offers_text_and_upload(office):
    page = office.get(reverse("letters:import")).content.decode()
    assert 'name="text"' in page
    assert 'name="file"' in page
    assert 'enctype="multipart/form-data"' in page


def test_nothing_pasted_is_refused_with_a_message(office):
    page = paste(office, "   ").content.decode()
    assert "请粘贴答复函全文，或上传 .docx 文件。" in page


def test_text_that_is_not_a_letter_says_so_and_creates_nothing(office, committee):
    before = counts()
    response = paste(office, "今天天气很好。\n我们去公园散步吧。")
    page = response.content.decode()
    assert response.status_code == 200
    assert "没有导入：这段文字不像一封答复函。" in page
    assert "未识别为答复函" in page
    assert counts() == before


def test_a_file_that_is_not_docx_is_refused(office):
    upload = io.BytesIO(b"plain")
    upload.name = "letter.txt"
    page = office.post(reverse("letters:import"), {"file": upload}).content.decode()
    assert "只接受 .docx 文件" in page


def test_a_broken_docx_is_refused(office):
    upload = io.BytesIO(b"not a zip")
    upload.name = "letter.docx"
    page = office.post(reverse("letters:import"), {"file": upload}).content.decode()
    assert "无法读取该 Word 文件" in page


# --------------------------------------------------------------------------- step 2: the preview


def test_pasting_the_seed_shows_the_original_beside_the_parsed_fields(office, committee):
    response = paste(office, SEED_TEXT)
    page = response.content.decode()
    assert response.status_code == 200
    assert 'class="source-lines"' in page
    assert "<li>蒋俏玲代表：</li>" in page  # the original, line by line
    data = form_data(page)
    assert data["number"] == "20200287"
    assert data["session"] == "自治区政协十二届三次会议"
    assert data["kind"] == "proposal"
    assert data["proposal_title"] == "关于培养发展战略性新兴产业，推动广西工业高质量发展的建议"
    assert data["addressee-0-name"] == "蒋俏玲"
    assert data["addressee_title"] == "代表"
    assert data["lead-name"] == "自治区科技厅"
    assert data["assigned_by-name"] == "自治区政协办公厅"
    assert [data[f"co-{i}-name"] for i in range(3)] == [
        "自治区发展改革委",
        "自治区工业和信息化厅",
        "自治区财政厅",
    ]
    assert data["title"] == "关于自治区政协十二届三次会议\n第20200287号提案答复的函"
    assert data["items-TOTAL_FORMS"] == "8"  # five sections, two sub-sections, one blank row
    assert data["items-5-level"] == "2"
    assert data["items-5-number"] == "（一）"
    assert data["items-0-commitments"].startswith("一是对自治区各部门管理的创新平台进行优化整合。\n二是")
    # Nothing is on record yet: every name is offered as new, and the committee is preselected.
    assert data["session_match"] == "new"
    assert data["committee"] == str(committee.pk)
    assert (data["session_term"], data["session_number"], data["session_year"]) == ("12", "3", "2020")
    assert data["lead-match"] == "new"


def test_unrecognised_lines_are_highlighted(office, committee):
    page = paste(office, "首页 > 政务公开 > 建议提案办理\n" + LETTER_01).content.decode()
    assert (
        '<li class="unparsed" title="未识别"><mark>首页 &gt; 政务公开 &gt; 建议提案办理</mark></li>' in page
    )


def test_existing_records_are_offered_exact_first(office, seed_letter):
    Response.objects.filter(pk=seed_letter.pk).delete()
    data = form_data(paste(office, SEED_TEXT).content.decode())
    proposal = Proposal.objects.get(number="20200287")
    assert data["session_match"] == str(proposal.session_id)
    assert data["proposal_match"] == str(proposal.pk)
    assert data["lead-match"] == str(Department.objects.get(name="自治区科技厅").pk)
    assert data["addressee-0-match"] == str(Proposer.objects.get(name="蒋俏玲").pk)


def test_a_near_department_name_is_offered_and_preselected(office, seed_letter):
    """自治区发改委 in the letter → 自治区发展改革委 on record, by the standard abbreviation."""
    text = SEED_TEXT.replace("自治区发展改革委、自治区工业和信息化厅", "自治区发改委、自治区工信厅")
    page = paste(office, text).content.decode()
    data = form_data(page)
    assert data["co-0-name"] == "自治区发改委"
    assert data["co-0-match"] == str(Department.objects.get(name="自治区发展改革委").pk)
    assert "自治区发展改革委（近似，相似度 100%）" in page
    assert data["co-1-match"] == str(Department.objects.get(name="自治区工业和信息化厅").pk)


def test_a_department_that_is_only_somewhat_alike_is_offered_but_not_chosen(office, seed_letter):
    text = SEED_TEXT.replace("自治区财政厅会办", "自治区财务厅会办")
    page = paste(office, text).content.decode()
    data = form_data(page)
    assert data["co-2-name"] == "自治区财务厅"
    assert data["co-2-match"] == "new"
    assert "自治区财政厅（近似，相似度 83%）" in page


# --------------------------------------------------------------------------- saving


def test_confirming_the_seed_creates_every_record_in_one_go(office, office_user, committee):
    data = confirm_everything_new(form_data(paste(office, SEED_TEXT).content.decode()))
    response = confirm(office, data)
    assert response.status_code == 302
    assert response["Location"] == reverse("letters:import")

    proposal = Proposal.objects.get(number="20200287")
    assert str(proposal.session) == "自治区政协十二届三次会议"
    assert proposal.session.year == 2020
    assert proposal.title == "关于培养发展战略性新兴产业，推动广西工业高质量发展的建议"
    assert proposal.status == Proposal.Status.REPLIED
    assert [p.name for p in proposal.proposers.all()] == ["蒋俏玲"]
    assert proposal.proposers.get().kind == Proposer.Kind.DEPUTY
    lead = proposal.assignments.get(role=Assignment.Role.LEAD)
    assert lead.department.name == "自治区科技厅"
    assert lead.assigned_by.name == "自治区政协办公厅"
    assert lead.assigned_by.kind == Department.Kind.OFFICE
    co = proposal.assignments.filter(role=Assignment.Role.CO_HANDLING).order_by("position")
    assert [a.department.name for a in co] == ["自治区发展改革委", "自治区工业和信息化厅", "自治区财政厅"]

    reply = proposal.responses.get()
    assert reply.status == Response.Status.ISSUED
    assert reply.disclosure == Response.Disclosure.PUBLIC
    assert reply.title == "关于自治区政协十二届三次会议\n第20200287号提案答复的函"
    assert reply.salutation == "蒋俏玲代表："
    items = reply.item_tree()
    assert [item.number_label for item in items] == ["一、", "二、", "三、", "四、", "五、"]
    assert [child.number_label for child in items[4].children] == ["（一）", "（二）"]
    assert [c.text[:6] for c in items[0].commitments.all()] == [
        "一是对自治区",
        "二是加强对自",
        "三是加大财政",
    ]
    assert Commitment.objects.filter(item__response=reply).count() == 6
    assert set(Commitment.objects.values_list("owner__name", flat=True)) == {"自治区科技厅"}

    event = proposal.events.get()
    assert (event.kind, event.message, event.actor) == (Event.Kind.REPLY_ISSUED, "由答复函导入", office_user)
    page = office.get(reverse("letters:import")).content.decode()
    assert "已导入第20200287号" in page
    assert reverse("letters:print", args=[reply.pk]) in page
    assert "新建承办单位：自治区科技厅" in page


def test_a_published_import_reproduces_the_seed_on_its_letter_page(office, committee, client, seed_lines):
    """Round trip: parse the seed, save it as records, render its public page: the same lines."""
    from test_letter_page import letter_lines

    data = confirm_everything_new(form_data(paste(office, SEED_TEXT).content.decode()))
    data["publish"] = "on"
    assert confirm(office, data).status_code == 302
    reply = Response.objects.get()
    assert reply.status == Response.Status.PUBLISHED
    assert reply.proposal.is_published
    assert reply.published_on is not None
    page = client.get(reply.get_absolute_url()).content.decode()
    assert letter_lines(page) == seed_lines


def test_the_same_letter_twice_is_refused_as_a_duplicate(office, committee):
    data = confirm_everything_new(form_data(paste(office, SEED_TEXT).content.decode()))
    assert confirm(office, data).status_code == 302
    before = counts()

    again = form_data(paste(office, SEED_TEXT).content.decode())
    assert again["proposal_match"] == str(Proposal.objects.get().pk)  # now on record
    response = confirm(office, again)
    page = response.content.decode()
    assert response.status_code == 200
    assert "重复导入" in page
    assert "未再导入" in page
    assert counts() == before


def test_a_reply_is_added_to_an_existing_proposal_without_overwriting_it(office, seed_letter):
    proposal = seed_letter.proposal
    Response.objects.filter(pk=seed_letter.pk).delete()
    Assignment.objects.filter(proposal=proposal, department__name="自治区财政厅").delete()
    Proposal.objects.filter(pk=proposal.pk).update(title="原登记的标题", status=Proposal.Status.IN_HANDLING)
    data = form_data(paste(office, SEED_TEXT).content.decode())
    response = confirm(office, data)
    assert response.status_code == 302

    proposal.refresh_from_db()
    assert proposal.title == "原登记的标题"  # never overwritten silently…
    assert proposal.status == Proposal.Status.REPLIED
    assert Proposal.objects.count() == 1
    assert proposal.responses.get().department.name == "自治区科技厅"
    co = proposal.assignments.filter(role=Assignment.Role.CO_HANDLING).order_by("position")
    assert [a.department.name for a in co] == ["自治区发展改革委", "自治区工业和信息化厅", "自治区财政厅"]
    page = office.get(reverse("letters:import")).content.decode()
    assert "提案标题与答复函不同" in page  # …but reported
    assert "为提案补充交办：自治区财政厅（会办）" in page


def test_publishing_a_reply_to_a_private_proposal_leaves_the_proposal_private(office, seed_letter):
    proposal = seed_letter.proposal
    Response.objects.filter(pk=seed_letter.pk).delete()
    Proposal.objects.filter(pk=proposal.pk).update(is_published=False)
    data = form_data(paste(office, SEED_TEXT).content.decode())
    data["publish"] = "on"
    assert confirm(office, data).status_code == 302
    proposal.refresh_from_db()
    assert not proposal.is_published
    assert proposal.responses.get().status == Response.Status.PUBLISHED
    assert "提案本身尚未公开" in office.get(reverse("letters:import")).content.decode()


def test_a_new_record_needs_explicit_confirmation(office, committee):
    before = counts()
    data = form_data(paste(office, SEED_TEXT).content.decode())  # no box ticked
    response = confirm(office, data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "请勾选“确认新建会议”" in page
    assert "“自治区科技厅”不在库中：请勾选“确认新建”" in page
    assert counts() == before


def test_a_commitment_that_is_not_in_its_paragraphs_rolls_everything_back(office, committee):
    data = confirm_everything_new(form_data(paste(office, SEED_TEXT).content.decode()))
    data["items-3-commitments"] = "这句话不在第四条的正文里。"
    before = counts()
    response = confirm(office, data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "没有保存" in page
    assert "承诺内容须是该条目正文中的原文" in page
    assert counts() == before  # the session, departments, proposal and first items went too


def test_save_letter_rolls_back_when_a_row_fails_mid_way(committee):
    parsed = parse_letter(SEED_TEXT)
    draft = importing.LetterDraft.from_parsed(parsed)
    draft.items[-1]["children"][-1]["commitments"] = ["不在正文中的承诺。"]  # the very last row
    resolution = importing.resolve(draft, importing.Matcher())
    before = counts()
    with pytest.raises(importing.ValidationError, match="承诺内容须是该条目正文中的原文"):
        importing.save_letter(draft, resolution)
    assert counts() == before


def test_editing_a_name_and_rematching_offers_the_new_match(office, seed_letter):
    data = form_data(
        paste(office, SEED_TEXT.replace("交由自治区科技厅主办", "交由科技局主办")).content.decode()
    )
    assert data["lead-match"] == "new"
    data["lead-name"] = "自治区科技厅"
    page = confirm(office, data, action="rematch").content.decode()
    assert form_data(page)["lead-match"] == str(Department.objects.get(name="自治区科技厅").pk)


def test_edited_fields_are_saved_as_edited(office, committee):
    data = confirm_everything_new(form_data(paste(office, LETTER_01).content.decode()))
    committee_id = data["committee"]
    assert committee_id == str(committee.pk)  # the only committee
    data.update(
        {
            "session_year": "2023",
            "result_class": "A",
            "items-1-heading": "关于加大财政金融支持力度的建议（修改）",
            "items-4-DELETE": "on",  # drop the third section
            "copied_to": "市政协提案委员会",
        }
    )
    assert confirm(office, data).status_code == 302
    reply = Response.objects.get()
    assert reply.result_class == "A"
    assert reply.document_number == "青科函〔2023〕34号"
    assert reply.signed_by == "李建华"
    assert reply.signoff_unit == "青川市科学技术局"
    assert reply.issued_on == datetime.date(2023, 7, 18)
    assert reply.review_note == "（此复函已经局长陈国栋审签）"
    assert (reply.contact_unit, reply.contact_person, reply.contact_phone, reply.contact_postcode) == (
        "市科技局科技创新科",
        "赵明",
        "0871-6512345",
        "650011",
    )
    assert reply.copied_to == "市政协提案委员会"
    items = reply.item_tree()
    assert [item.heading for item in items] == [
        "关于完善科技型中小企业梯次培育体系的建议",
        "关于加大财政金融支持力度的建议（修改）",
    ]
    assert len(items[1].children) == 2
    assert reply.proposal.proposers.get().name == "王芳"
    assert reply.proposal.proposers.get().kind == Proposer.Kind.MEMBER


def test_publishing_a_reply_that_is_not_public_is_refused(office, committee):
    data = confirm_everything_new(form_data(paste(office, SEED_TEXT).content.decode()))
    data.update(publish="on", disclosure=Response.Disclosure.NOT_PUBLIC)
    page = confirm(office, data).content.decode()
    assert "不予公开的答复不能公开发布" in page
    assert not Response.objects.exists()


def test_a_docx_upload_is_read_like_pasted_text(office, committee):
    upload = io.BytesIO(build_docx(parse_letter(SEED_TEXT).to_dict()))
    upload.name = "答复函.docx"
    data = form_data(office.post(reverse("letters:import"), {"file": upload}).content.decode())
    assert data["number"] == "20200287"
    assert data["lead-name"] == "自治区科技厅"


def test_the_preview_matches_names_in_a_fixed_number_of_queries(
    office, seed_letter, django_assert_num_queries
):
    for n in range(30):
        Department.objects.create(name=f"自治区测试厅{n}")
    # session + user + profile; committees, sessions, departments, proposers (Matcher);
    # proposals of the matched session.
    with django_assert_num_queries(8):
        paste(office, SEED_TEXT)


# --------------------------------------------------------------------------- matching rules


@pytest.mark.parametrize(
    ("letter", "record", "at_least"),
    [
        ("自治区发改委", "自治区发展改革委", 1.0),
        ("自治区发展和改革委员会", "自治区发展改革委", 1.0),
        ("自治区工信厅", "自治区工业和信息化厅", 1.0),
        ("工信厅", "自治区工业和信息化厅", importing.AUTO_THRESHOLD),
        ("青川市科学技术局", "市科技局", importing.AUTO_THRESHOLD),
        ("王  芳", "王芳", 1.0),
    ],
)
def test_near_names_score_above_the_threshold(letter, record, at_least):
    score, _exact = importing.name_score(letter, record)
    assert score >= at_least


@pytest.mark.parametrize(
    ("letter", "record"),
    [("自治区财政厅", "自治区教育厅"), ("王芳", "王方"), ("张晓明", "张晓东"), ("市财政局", "市教育局")],
)
def test_different_names_stay_below_the_threshold(letter, record):
    score, _exact = importing.name_score(letter, record)
    assert score < importing.AUTO_THRESHOLD


def test_sessions_with_another_term_or_number_are_never_offered(committee):
    Session.objects.create(committee=committee, term=12, number=2, year=2019)
    third = Session.objects.create(committee=committee, term=12, number=3, year=2020)
    candidates = importing.Matcher().session_candidates("自治区政协十二届三次会议")
    assert [candidate.obj for candidate in candidates] == [third]
    assert candidates[0].exact


def test_a_third_level_of_sections_folds_into_its_sub_section_as_printed():
    text = "\n".join(
        [
            "关于市政协十四届二次会议第20230156号提案答复的函",
            "王芳委员：",
            "您提出的《关于加快培育科技型中小企业的建议》（第20230156号）收悉，现答复如下：",
            "一、关于财政支持的建议",
            "（一）关于专项资金",
            "1.设立专项资金",
            "2023年安排专项资金3000万元。",
            "下一步，我们将逐步提高专项资金规模。",
            "2.简化申报流程",
            "已实现网上申报。",
        ]
    )
    draft = importing.draft_from_text(text)[1]
    child = draft.items[0]["children"][0]
    assert child["heading"] == "关于专项资金"
    assert child["paragraphs"] == [
        "1.设立专项资金",
        "2023年安排专项资金3000万元。",
        "下一步，我们将逐步提高专项资金规模。",
        "2.简化申报流程",
        "已实现网上申报。",
    ]
    assert child["commitments"] == ["我们将逐步提高专项资金规模。"]
    assert child["children"] == []
