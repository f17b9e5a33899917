"""The Word writer (responses.docx_letter): official layout, and a lossless round trip.

build_docx → read_docx_text → parse_letter must give back the structure it was given. Pure
tests: no database.
"""

import datetime
import io
from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Mm
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from responses.docx_letter import build_docx
from responses.parsing import parse_letter, read_docx_text

DATA = Path(__file__).parent / "data"
SEED = DATA / "seed_letter.txt"
LETTERS = sorted((DATA / "letters").glob("*.txt"))


def without_unparsed(letter):
    return {key: value for key, value in letter.items() if key != "unparsed"}


def letter_dict_with_printed_parts(parsed):
    letter = parsed.to_dict()
    letter.update(
        title_lines=parsed.title_lines,
        salutation=parsed.salutation,
        opening=parsed.opening,
        review_note=parsed.review_note,
    )
    return letter


def round_trip(letter):
    return parse_letter(read_docx_text(io.BytesIO(build_docx(letter)))).to_dict()


@pytest.fixture(scope="module")
def seed_parsed():
    return parse_letter(SEED.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def seed_document(seed_parsed):
    return docx.Document(io.BytesIO(build_docx(letter_dict_with_printed_parts(seed_parsed))))


@pytest.fixture(scope="module")
def full_document():
    """A letter with every part: header, sub-sections, sign-off, contact, copies."""
    parsed = parse_letter((DATA / "letters" / "01_header_top_proposal.txt").read_text(encoding="utf-8"))
    return docx.Document(io.BytesIO(build_docx(letter_dict_with_printed_parts(parsed))))


def paragraph_starting(document, prefix):
    return next(paragraph for paragraph in document.paragraphs if paragraph.text.startswith(prefix))


def east_asian_font(run):
    return run._r.rPr.rFonts.get(qn("w:eastAsia"))


# --------------------------------------------------------------------------- round trips


def test_seed_round_trips_through_word(seed_parsed):
    letter = letter_dict_with_printed_parts(seed_parsed)
    assert without_unparsed(round_trip(letter)) == without_unparsed(seed_parsed.to_dict())


def test_seed_round_trips_from_the_fields_alone(seed_parsed):
    """Without the printed title, salutation and opening, they are written from the fields."""
    assert without_unparsed(round_trip(seed_parsed.to_dict())) == without_unparsed(seed_parsed.to_dict())


@pytest.mark.parametrize("path", LETTERS, ids=[path.stem for path in LETTERS])
def test_each_letter_round_trips_through_word(path):
    parsed = parse_letter(path.read_text(encoding="utf-8"))
    expected = without_unparsed(parsed.to_dict())
    assert without_unparsed(round_trip(letter_dict_with_printed_parts(parsed))) == expected
    assert without_unparsed(round_trip(parsed.to_dict())) == expected


def test_read_docx_text_gives_one_line_per_paragraph(seed_document):
    buffer = io.BytesIO()
    seed_document.save(buffer)
    lines = read_docx_text(io.BytesIO(buffer.getvalue())).splitlines()
    assert lines[0] == "关于自治区政协十二届三次会议"
    assert lines[1] == "第20200287号提案答复的函"
    assert "蒋俏玲代表：" in lines


def test_read_docx_text_reads_tables_row_by_row(tmp_path):
    document = docx.Document()
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "类别：B"
    table.cell(0, 1).text = "签发人：张三"
    document.add_paragraph("关于市政协十四届二次会议第12号提案答复的函")
    path = tmp_path / "table.docx"
    document.save(path)
    assert read_docx_text(path).splitlines() == [
        "类别：B  签发人：张三",
        "关于市政协十四届二次会议第12号提案答复的函",
    ]


def test_read_docx_text_rejects_a_file_that_is_not_word():
    with pytest.raises(ValueError, match="Cannot read the .docx file"):
        read_docx_text(io.BytesIO(b"plain text"))


# --------------------------------------------------------------------------- official layout


def test_page_is_a4_with_the_official_margins(seed_document):
    section = seed_document.sections[0]

    def mm(length):
        return round(length / Mm(1), 1)

    assert (mm(section.page_width), mm(section.page_height)) == (210.0, 297.0)
    assert (mm(section.top_margin), mm(section.bottom_margin)) == (37.0, 35.0)
    assert (mm(section.left_margin), mm(section.right_margin)) == (28.0, 26.0)


def test_title_is_centred_in_xiaobiaosong_size_2(seed_document):
    title = seed_document.paragraphs[0]
    assert title.text == "关于自治区政协十二届三次会议"
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER
    run = title.runs[0]
    assert east_asian_font(run) == "方正小标宋简体"
    assert run.font.name == "SimSun"  # the fallback for ascii/hAnsi
    assert run.font.size.pt == 22


def test_body_is_fangsong_size_3_with_two_character_indent_and_fixed_spacing(seed_document):
    body = paragraph_starting(seed_document, "近几年")
    run = body.runs[0]
    assert east_asian_font(run) == "仿宋_GB2312"
    assert run.font.name == "FangSong"
    assert run.font.size.pt == 16
    assert body.paragraph_format.first_line_indent.pt == 32
    assert body._p.pPr.ind.get(qn("w:firstLineChars")) == "200"
    assert body.paragraph_format.line_spacing_rule == WD_LINE_SPACING.EXACTLY
    assert 28 <= body.paragraph_format.line_spacing.pt <= 29


def test_headings_use_heiti_then_kaiti(seed_document):
    first_level = paragraph_starting(seed_document, "一、")
    second_level = paragraph_starting(seed_document, "（一）")
    assert east_asian_font(first_level.runs[0]) == "黑体"
    assert east_asian_font(second_level.runs[0]) == "楷体_GB2312"
    assert second_level.runs[0].font.name == "KaiTi"


def test_normal_style_names_the_official_body_font(seed_document):
    fonts = seed_document.styles["Normal"].element.rPr.rFonts
    assert fonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert fonts.get(qn("w:ascii")) == "FangSong"


def test_font_table_lists_official_fonts_with_substitutes(seed_document):
    font_table = next(
        rel.target_part for rel in seed_document.part.rels.values() if rel.reltype.endswith("/fontTable")
    )
    xml = font_table.blob.decode("utf-8")
    assert '<w:font w:name="仿宋_GB2312"><w:altName w:val="FangSong"/>' in xml
    assert '<w:font w:name="方正小标宋简体"><w:altName w:val="SimSun"/>' in xml


def test_footer_has_a_page_field_between_dashes(seed_document):
    footer = seed_document.sections[0].footer
    xml = footer._element.xml
    assert "<w:instrText" in xml and " PAGE " in xml
    assert 'w:fldCharType="begin"' in xml and 'w:fldCharType="end"' in xml
    assert footer.paragraphs[0].text.startswith("— ") and footer.paragraphs[0].text.endswith(" —")
    assert footer.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.CENTER


def test_header_block_sign_off_contact_and_copies(full_document):
    texts = [paragraph.text for paragraph in full_document.paragraphs]
    assert texts[:3] == ["类别：B", "签发人：李建华", "青科函〔2023〕34号"]
    issuer = paragraph_starting(full_document, "青川市科学技术局")
    date = paragraph_starting(full_document, "2023年7月18日")
    for paragraph in (issuer, date):
        assert paragraph.alignment == WD_ALIGN_PARAGRAPH.RIGHT
        assert paragraph.paragraph_format.right_indent.pt == 64  # four characters
    assert "联系人：赵明" in texts
    copies = paragraph_starting(full_document, "抄送：")
    assert copies.text == "抄送：市政协提案委员会，市政府督查室，市财政局，市市场监管局。"
    assert copies.runs[0].font.size.pt == 14
    assert copies._p.pPr.find(qn("w:pBdr")) is not None


def test_build_docx_accepts_a_nearly_empty_letter():
    data = build_docx({"items": []})
    assert docx.Document(io.BytesIO(data)).sections[0].page_width is not None


# --------------------------------------------------------------------------- generated letters

NUMERALS = "一二三四五六七八九十"
TOPICS = ["科技创新", "乡村振兴", "养老服务", "生态保护", "交通出行", "教育均衡", "医疗保障"]
FACTS = [
    "近年来，我局高度重视此项工作。",
    "截至2023年底，全市已建成示范点12个。",
    "我们会同有关部门开展了专项调研，形成了调研报告。",
    "相关政策文件已于今年印发实施。",
    "2022年，市财政安排专项资金3000万元。",
]
ACTIONS = ["加大资金投入", "完善工作机制", "加强部门协同", "扩大试点范围", "强化督促检查"]
NAMES = ["张伟", "李娜", "王芳", "赵明", "陈静"]
UNITS = ["市科技局", "市财政局", "市民政局", "市住建局", "市教育局"]
FIRST_DAY, LAST_DAY = datetime.date(2000, 1, 1), datetime.date(2035, 12, 31)
KIND_WORDS = {"proposal": "提案", "suggestion": "建议"}
SESSIONS = ["市政协十四届二次会议", "自治区政协十二届三次会议", "县十八届人大二次会议"]


@st.composite
def commitment_paragraph(draw):
    """A 下一步 paragraph and the commitments the parser must find in it."""
    actions = draw(st.lists(st.sampled_from(ACTIONS), max_size=4))
    if not actions:
        promise = f"我们将{draw(st.sampled_from(ACTIONS))}，推动工作落实到位。"
        return "下一步，" + promise, [promise]
    clauses = [f"{NUMERALS[index]}是{action}。" for index, action in enumerate(actions)]
    framing = draw(st.sampled_from(["我局将重点做好以下工作。", "我局将：", ""]))
    return "下一步，" + framing + "".join(clauses), clauses


@st.composite
def section(draw, label, heading_word, with_children):
    paragraphs = draw(st.lists(st.sampled_from(FACTS), max_size=2))
    commitments = []
    if draw(st.booleans()):
        paragraph, commitments = draw(commitment_paragraph())
        paragraphs.append(paragraph)
    children = []
    if with_children:
        count = draw(st.integers(min_value=0, max_value=2))
        children = [
            draw(section(f"（{NUMERALS[index]}）", "问题", with_children=False)) for index in range(count)
        ]
    return {
        "number": label,
        "heading": f"关于{draw(st.sampled_from(TOPICS))}的{heading_word}",
        "paragraphs": paragraphs,
        "children": children,
        "commitments": commitments,
    }


def flat_commitments(items):
    found = []
    for item in items:
        found.extend(item["commitments"])
        found.extend(flat_commitments(item["children"]))
    return found


@st.composite
def reply_letters(draw):
    kind = draw(st.sampled_from(["proposal", "suggestion"]))
    item_count = draw(st.integers(min_value=1, max_value=4))
    items = [draw(section(f"{NUMERALS[index]}、", "建议", with_children=True)) for index in range(item_count)]
    lead = draw(st.sampled_from(UNITS))
    co_departments = draw(
        st.lists(st.sampled_from([unit for unit in UNITS if unit != lead]), unique=True, max_size=2)
    )
    has_contact = draw(st.booleans())
    closing = draw(
        st.sampled_from(
            [
                None,
                "感谢您对我市工作的关心和支持。",
                "感谢您对我市工作的关心和支持。\n欢迎继续提出宝贵意见和建议。",
            ]
        )
    )
    return {
        "kind": kind,
        "number": str(draw(st.integers(min_value=1, max_value=20239999))),
        "session": draw(st.sampled_from(SESSIONS)),
        "addressees": draw(st.lists(st.sampled_from(NAMES), min_size=1, max_size=3, unique=True)),
        "addressee_title": "委员" if kind == "proposal" else "代表",
        "proposal_title": f"关于推进{draw(st.sampled_from(TOPICS))}的{KIND_WORDS[kind]}",
        "result_class": draw(st.sampled_from([None, "A", "B", "C", "D"])),
        "document_number": draw(st.sampled_from([None, "青科函〔2023〕12号"])),
        "signed_by": draw(st.sampled_from([None, *NAMES])),
        "issuer": draw(st.sampled_from([None, "青川市科学技术局", "北湖市民政局"])),
        "date": draw(st.one_of(st.none(), st.dates(min_value=FIRST_DAY, max_value=LAST_DAY))),
        "contact": {
            "unit": "市科技局办公室",
            "person": draw(st.sampled_from(NAMES)),
            "phone": "0771-1234567",
            "postcode": draw(st.sampled_from([None, "530022"])),
        }
        if has_contact
        else None,
        "copied_to": draw(st.lists(st.sampled_from(UNITS), unique=True, max_size=3)),
        "assigned_by": draw(st.sampled_from([None, "市政协提案委员会", "市人大常委会代表工作委员会"])),
        "lead_department": lead,
        "co_departments": co_departments,
        "items": items,
        "commitments": flat_commitments(items),
        "closing": closing,
        "unparsed": [],
    }


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(reply_letters())
def test_generated_letters_round_trip_through_word(letter):
    letter["date"] = letter["date"].isoformat() if letter["date"] else None
    assert round_trip(letter) == letter
