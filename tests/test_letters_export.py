"""Writing a reply: the record as an official .docx that reads back the same, and the two views
that serve it (the .docx download and the print view) with the reply's visibility rule."""

import datetime
import io

import docx
import pytest
from django.db import transaction
from django.urls import reverse
from factories import (
    make_assignment,
    make_commitment,
    make_department,
    make_item,
    make_proposal,
    make_proposer,
    make_response,
)
from hypothesis import HealthCheck, assume, given, settings
from test_letter_docx import reply_letters

from proposals.models import Assignment, Committee, Proposal, Proposer
from responses import importing
from responses.docx_letter import build_docx
from responses.export import export_response, for_export
from responses.models import Response
from responses.parsing import parse_letter, read_docx_text

pytestmark = pytest.mark.django_db

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PERSONAS = ["office", "lead", "co", "unrelated", "proposer", "other_delegate", "anonymous"]


def exported(response):
    return export_response(for_export().get(pk=response.pk))


def read_back(letter):
    """The letter dict written to Word and parsed again."""
    return parse_letter(read_docx_text(io.BytesIO(build_docx(letter)))).to_dict()


def structure(letter):
    return {key: value for key, value in letter.items() if key in STRUCTURE_KEYS}


# What the parser reads from a letter, less the lines it could not place.
STRUCTURE_KEYS = set(parse_letter("").to_dict()) - {"unparsed"}


# --------------------------------------------------------------------------- export → parse


def test_the_seed_record_exports_to_a_docx_that_parses_like_the_seed_text(seed_letter, seed_lines):
    from_text = parse_letter("\n".join(seed_lines)).to_dict()
    from_record = read_back(exported(seed_letter))
    assert structure(from_record) == structure(from_text)
    assert len(from_record["items"]) == 5
    assert [child["number"] for child in from_record["items"][4]["children"]] == ["（一）", "（二）"]
    assert len(from_record["commitments"]) == 6


def test_the_seed_export_holds_what_the_record_holds(seed_letter):
    letter = exported(seed_letter)
    assert letter["title_lines"] == ["关于自治区政协十二届三次会议", "第20200287号提案答复的函"]
    assert letter["salutation"] == "蒋俏玲代表："
    assert (letter["addressees"], letter["addressee_title"]) == (["蒋俏玲"], "代表")
    assert letter["lead_department"] == "自治区科技厅"
    assert letter["co_departments"] == ["自治区发展改革委", "自治区工业和信息化厅", "自治区财政厅"]
    assert letter["assigned_by"] == "自治区政协办公厅"
    assert letter["session"] == "自治区政协十二届三次会议"
    # The published text has no sign-off, date or contact block: the export invents none.
    assert (letter["issuer"], letter["date"], letter["contact"], letter["copied_to"]) == (
        None,
        None,
        None,
        [],
    )


def test_export_reads_the_record_in_a_fixed_number_of_queries(seed_letter, django_assert_num_queries):
    # reply + proposal + session + committee + department (one join); items; commitments;
    # proposer links with proposers; assignments with departments.
    with django_assert_num_queries(5):
        export_response(for_export().get(pk=seed_letter.pk))


def synthetic_reply(*, header=True, sign_off=True, contact=True, copies=True, children=True):
    """A reply built from factories with several items, sub-items and 下一步 commitments."""
    lead = make_department("青川市科学技术局")
    office = make_department("市政协提案委员会")
    co = [make_department("市财政局"), make_department("市市场监督管理局")]
    proposal = make_proposal(
        number="20230156",
        title="关于加快培育科技型中小企业的建议",
        proposers=[make_proposer("王芳", kind=Proposer.Kind.MEMBER)],
    )
    make_assignment(proposal, lead, assigned_by=office)
    for position, department in enumerate(co, 1):
        make_assignment(
            proposal, department, role=Assignment.Role.CO_HANDLING, position=position, assigned_by=office
        )
    fields = {
        "title": f"关于{proposal.session}第20230156号提案答复的函",
        "salutation": "王芳委员：",
        "opening": (
            f"您在{proposal.session}上提出的《关于加快培育科技型中小企业的建议》（第20230156号）收悉。"
            "该提案由市政协提案委员会交由青川市科学技术局主办，市财政局、市市场监督管理局会办。现答复如下："
        ),
        "closing": "感谢您对我市科技工作的关心和支持，欢迎继续提出宝贵意见和建议。",
    }
    if header:
        fields.update(result_class="B", signed_by="李建华", document_number="青科函〔2023〕34号")
    if sign_off:
        fields.update(
            signoff_unit="青川市科学技术局",
            issued_on="2023-07-18",
            review_note="（此复函已经局长陈国栋审签）",
        )
    if contact:
        fields.update(
            contact_unit="市科技局科技创新科",
            contact_person="赵明",
            contact_phone="0871-6512345",
            contact_postcode="650011",
        )
    if copies:
        fields.update(copied_to="市政协提案委员会\n市政府督查室\n市财政局")
    reply = make_response(proposal, lead, **fields)
    first = make_item(
        reply,
        1,
        number_label="一、",
        heading="关于完善科技型中小企业梯次培育体系的建议",
        paragraphs=(
            "近年来，我局建立科技型中小企业培育库，入库企业达412家。\n"
            "下一步，我局将：一是扩大培育库覆盖面，力争2024年入库企业突破500家。"
            "二是建立“一企一策”跟踪服务机制。三是加强研发费用加计扣除政策宣讲。"
        ),
    )
    for position, text in enumerate(
        [
            "一是扩大培育库覆盖面，力争2024年入库企业突破500家。",
            "二是建立“一企一策”跟踪服务机制。",
            "三是加强研发费用加计扣除政策宣讲。",
        ],
        1,
    ):
        make_commitment(first, position, text=text)
    second = make_item(reply, 2, number_label="二、", heading="关于加大财政金融支持力度的建议", paragraphs="")
    if children:
        sub = make_item(
            reply,
            1,
            parent=second,
            number_label="（一）",
            heading="关于设立科技型中小企业专项资金",
            paragraphs="2023年，市财政安排专项资金3000万元。\n下一步，市财政局将根据财力状况，逐步提高专项资金规模。",
        )
        make_commitment(sub, text="市财政局将根据财力状况，逐步提高专项资金规模。")
        make_item(
            reply,
            2,
            parent=second,
            number_label="（二）",
            heading="关于推广“科技贷”产品",
            paragraphs="我局联合人民银行市中心支行推出“科技贷”产品，累计发放贷款4.2亿元。",
        )
    third = make_item(
        reply,
        3,
        number_label="三、",
        heading="关于优化创新创业服务环境的建议",
        paragraphs="我市已建成市级以上科技企业孵化器11家。\n今后，我们将进一步提升孵化载体服务能力。",
    )
    make_commitment(third, text="我们将进一步提升孵化载体服务能力。")
    return reply


@pytest.mark.parametrize(
    "parts",
    [
        {},
        {"header": False},
        {"sign_off": False, "contact": False},
        {"copies": False, "children": False},
        {"header": False, "sign_off": False, "contact": False, "copies": False},
    ],
    ids=["everything", "no-header", "no-sign-off-or-contact", "no-copies-or-sub-items", "body-only"],
)
def test_a_synthetic_reply_reads_back_the_same(parts):
    letter = exported(synthetic_reply(**parts))
    assert structure(read_back(letter)) == structure(letter)


def test_the_synthetic_export_carries_header_sign_off_contact_and_copies():
    letter = exported(synthetic_reply())
    assert (letter["result_class"], letter["signed_by"], letter["document_number"]) == (
        "B",
        "李建华",
        "青科函〔2023〕34号",
    )
    assert (letter["issuer"], letter["date"]) == ("青川市科学技术局", "2023-07-18")
    assert letter["contact"] == {
        "unit": "市科技局科技创新科",
        "person": "赵明",
        "phone": "0871-6512345",
        "postcode": "650011",
    }
    assert letter["copied_to"] == ["市政协提案委员会", "市政府督查室", "市财政局"]
    assert letter["commitments"][0] == "一是扩大培育库覆盖面，力争2024年入库企业突破500家。"
    assert letter["items"][1]["children"][0]["commitments"] == [
        "市财政局将根据财力状况，逐步提高专项资金规模。"
    ]


def test_a_reply_without_printed_opening_is_written_from_the_proposal_and_reads_back():
    """No opening on record: build_docx writes one from session, number, title and assignment."""
    reply = synthetic_reply()
    Response.objects.filter(pk=reply.pk).update(opening="", title="", salutation="")
    letter = exported(reply)
    back = read_back(letter)
    assert back["proposal_title"] == "关于加快培育科技型中小企业的建议"
    assert back["number"] == "20230156"
    assert back["lead_department"] == "青川市科学技术局"
    assert back["co_departments"] == ["市财政局", "市市场监督管理局"]
    assert back["assigned_by"] == "市政协提案委员会"
    assert (back["addressees"], back["addressee_title"]) == (["王芳"], "委员")
    assert structure(back)["items"] == letter["items"]


def test_a_suggestion_to_two_deputies_reads_back_as_a_suggestion():
    reply = synthetic_reply()
    Proposal.objects.filter(pk=reply.proposal_id).update(kind=Proposal.Kind.SUGGESTION)
    Response.objects.filter(pk=reply.pk).update(
        salutation="刘海燕、陈刚代表：", title="", opening="", closing="感谢你们对城市管理工作的关心和支持！"
    )
    back = read_back(exported(reply))
    assert back["kind"] == "suggestion"
    assert (back["addressees"], back["addressee_title"]) == (["刘海燕", "陈刚"], "代表")


# --------------------------------------------------------------------------- the views


def non_public(seed_letter, status):
    Response.objects.filter(pk=seed_letter.pk).update(
        status=status, disclosure=Response.Disclosure.ON_REQUEST
    )
    return seed_letter


# Outcome per persona: a status code or "login" (redirect to the login page).
MATRIX = [
    ("letters:docx", "published", dict.fromkeys(PERSONAS, 200)),
    ("letters:print", "published", dict.fromkeys(PERSONAS, 200)),
    (
        "letters:docx",
        Response.Status.ISSUED,
        {
            "office": 200,
            "lead": 200,
            "co": 404,
            "unrelated": 404,
            "proposer": 200,
            "other_delegate": 404,
            "anonymous": "login",
        },
    ),
    (
        "letters:print",
        Response.Status.ISSUED,
        {
            "office": 200,
            "lead": 200,
            "co": 404,
            "unrelated": 404,
            "proposer": 200,
            "other_delegate": 404,
            "anonymous": "login",
        },
    ),
    (
        "letters:docx",
        Response.Status.DRAFT,
        {
            "office": 200,
            "lead": 200,
            "co": 404,
            "unrelated": 404,
            "proposer": 404,
            "other_delegate": 404,
            "anonymous": "login",
        },
    ),
    (
        "letters:print",
        Response.Status.SUBMITTED,
        {
            "office": 200,
            "lead": 200,
            "co": 404,
            "unrelated": 404,
            "proposer": 404,
            "other_delegate": 404,
            "anonymous": "login",
        },
    ),
]


@pytest.mark.parametrize(
    ("name", "state", "persona", "expected"),
    [(name, state, persona, outcome[persona]) for name, state, outcome in MATRIX for persona in PERSONAS],
)
def test_access(client_for, seed_letter, name, state, persona, expected):
    if state != "published":
        non_public(seed_letter, state)
    url = reverse(name, args=[seed_letter.pk])
    response = client_for(persona).get(url)
    if expected == "login":
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    else:
        assert response.status_code == expected


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_reply_that_does_not_exist_is_not_found_or_asks_to_log_in(client_for, persona):
    response = client_for(persona).get(reverse("letters:docx", args=[99999]))
    # Anonymous visitors cannot tell a missing reply from a private one: both ask them to log in.
    assert response.status_code == (302 if persona == "anonymous" else 404)


def test_the_docx_download_is_the_official_letter(client, seed_letter):
    response = client.get(reverse("letters:docx", args=[seed_letter.pk]))
    assert response["Content-Type"] == DOCX
    assert "attachment" in response["Content-Disposition"]
    assert ".docx" in response["Content-Disposition"]
    document = docx.Document(io.BytesIO(response.content))
    assert [p.text for p in document.paragraphs[:2]] == [
        "关于自治区政协十二届三次会议",
        "第20200287号提案答复的函",
    ]
    parsed = parse_letter(read_docx_text(io.BytesIO(response.content)))
    assert parsed.number == "20200287"
    assert len(parsed.commitments) == 6


@pytest.mark.parametrize("name", ["letters:docx", "letters:print"])
def test_head_answers_like_get_without_a_body_and_post_is_refused(client, seed_letter, name):
    url = reverse(name, args=[seed_letter.pk])
    head = client.head(url)
    get = client.get(url)
    assert head.status_code == 200
    assert head["Content-Type"] == get["Content-Type"]
    assert head.get("Content-Disposition") == get.get("Content-Disposition")
    assert client.post(url).status_code == 405


def test_the_print_view_shows_the_letter_alone(client, seed_letter, seed_lines):
    from test_letter_page import letter_lines

    page = client.get(reverse("letters:print", args=[seed_letter.pk])).content.decode()
    assert letter_lines(page) == seed_lines
    assert "site-header" not in page  # no navigation
    assert "breadcrumb" not in page
    assert 'href="/static/tracker/print.css"' in page
    assert reverse("letters:docx", args=[seed_letter.pk]) in page


def test_the_print_view_reads_the_letter_in_a_fixed_number_of_queries(
    client_for, seed_letter, django_assert_num_queries
):
    Response.objects.filter(pk=seed_letter.pk).update(status=Response.Status.ISSUED)
    office = client_for("office")
    office.get("/")  # warm the session
    # session, user, profile; reply with proposal/session/committee/department; items; commitments.
    with django_assert_num_queries(6):
        office.get(reverse("letters:print", args=[seed_letter.pk]))


def test_the_docx_of_a_private_reply_is_served_to_the_answering_department(client_for, seed_letter):
    non_public(seed_letter, Response.Status.DRAFT)
    response = client_for("lead").get(reverse("letters:docx", args=[seed_letter.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX


# --------------------------------------------------------------------------- generated replies


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(letter=reply_letters())
def test_generated_replies_survive_import_and_export(db, letter):
    """A generated letter, imported as records and exported again, reads back the same."""
    letter["date"] = letter["date"].isoformat() if letter["date"] else None
    text = read_docx_text(io.BytesIO(build_docx(letter)))
    parsed = parse_letter(text)
    assume(importing.year_from(parsed.number, letter["date"] and datetime.date.fromisoformat(letter["date"])))
    with transaction.atomic():
        Committee.objects.create(name="测试市政协", short_name="市政协", result_d_label="留作参考")
        result = importing.import_text(text, matcher=importing.Matcher())
        back = read_back(export_response(for_export().get(pk=result.response.pk)))
        transaction.set_rollback(True)
    assert structure(back) == structure(parsed.to_dict())
