"""Write a reply letter (答复函) as a Word document laid out like a Chinese government document.

`build_docx(letter)` takes the dict of `ParsedLetter.to_dict()`, optionally with the printed
`title_lines`, `salutation`, `opening` and `review_note`, and returns the .docx bytes. Parts the
dict does not carry (a title, a salutation, an opening) are written from its fields, so that
reading the document back with `read_docx_text` and `parse_letter` gives the same structure.

Layout follows GB/T 9704-2012 (党政机关公文格式): A4; margins top 37 mm, bottom 35 mm, left 28 mm,
right 26 mm; title in 方正小标宋简体 2号 (22 pt), centred; body in 仿宋_GB2312 3号 (16 pt) with a
two-character first-line indent and an exact 28.95 pt line pitch (22 lines a page); first-level
headings (一、) in 黑体, second-level (（一）) in 楷体_GB2312; sign-off unit and date right-aligned
four characters from the margin; copies (抄送) in 4号 between two rules; page numbers in the footer
as "— N —" from a PAGE field.

Fonts: Word picks the font of Chinese characters from the run's ``w:eastAsia`` attribute and of
Latin letters and digits from ``w:ascii``/``w:hAnsi``. The official fonts (仿宋_GB2312, 楷体_GB2312,
方正小标宋简体) are often missing outside government machines, so every run names the official
font in ``w:eastAsia`` and a font every Chinese Windows has (FangSong, KaiTi, SimHei, SimSun) in
``w:ascii``/``w:hAnsi``; the font table also lists each official font with ``w:altName`` set to that
common font, which Word and LibreOffice use as the substitute when the official one is absent.
"""

import datetime
import io
import re
from dataclasses import dataclass

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from lxml import etree

from tracker.chinese import format_day

from .letter import title_lines


@dataclass(frozen=True)
class FontRole:
    official: str  # the GB/T 9704 font, written to w:eastAsia
    fallback: str  # a font every Chinese Windows has, written to w:ascii / w:hAnsi
    family: str  # the font table's w:family for the official font


TITLE_FONT = FontRole("方正小标宋简体", "SimSun", "roman")
BODY_FONT = FontRole("仿宋_GB2312", "FangSong", "modern")
HEADING_FONT = FontRole("黑体", "SimHei", "modern")
SUBHEADING_FONT = FontRole("楷体_GB2312", "KaiTi", "modern")
PAGE_NUMBER_FONT = FontRole("宋体", "SimSun", "roman")

TITLE_SIZE = Pt(22)  # 2号
BODY_SIZE = Pt(16)  # 3号
SMALL_SIZE = Pt(14)  # 4号: copies and page numbers
LINE_PITCH = Pt(28.95)  # 22 lines in the 225 mm type area
INDENT_CHARACTERS = 2
SIGN_OFF_RIGHT_CHARACTERS = 4

PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = Mm(37), Mm(35), Mm(28), Mm(26)
FOOTER_DISTANCE = Mm(25)  # the page number sits about 7 mm below the type area

_FIRST_LEVEL_LABEL_RE = re.compile(r"^[一二三四五六七八九十]+\s*[、.．]")
_SECOND_LEVEL_LABEL_RE = re.compile(r"^[（(]\s*[一二三四五六七八九十]+\s*[）)]")
_ISO_DATE_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_KIND_WORD = {"proposal": "提案", "suggestion": "建议"}


def build_docx(letter):
    """Return the bytes of a .docx for `letter` (the dict shape of ParsedLetter.to_dict())."""
    document = Document()
    _set_up_page(document)
    _set_up_styles(document)
    _register_fonts(document)
    _add_page_number(document.sections[0])

    _write_header(document, letter)
    for line in _title_lines(letter):
        _add_paragraph(document, line, TITLE_FONT, TITLE_SIZE, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    _add_blank(document)
    salutation = _salutation(letter)
    if salutation:
        _add_paragraph(document, salutation, BODY_FONT, BODY_SIZE, indent=False)
    for paragraph in _opening(letter):
        _add_paragraph(document, paragraph, BODY_FONT, BODY_SIZE)
    for item in letter.get("items") or []:
        _write_item(document, item)
    for paragraph in (letter.get("closing") or "").split("\n"):
        if paragraph.strip():
            _add_paragraph(document, paragraph, BODY_FONT, BODY_SIZE)
    _write_sign_off(document, letter)
    _write_contact(document, letter.get("contact"))
    _write_copies(document, letter.get("copied_to") or [])

    document.core_properties.title = "".join(_title_lines(letter))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# --------------------------------------------------------------------------- page and styles


def _set_up_page(document):
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.top_margin, section.bottom_margin = MARGIN_TOP, MARGIN_BOTTOM
    section.left_margin, section.right_margin = MARGIN_LEFT, MARGIN_RIGHT
    section.footer_distance = FOOTER_DISTANCE
    # The GB/T 9704 grid: 22 lines a page, so CJK text snaps to the same lines as the body pitch.
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        section._sectPr.append(grid)
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(round(LINE_PITCH.pt * 20)))


def _set_up_styles(document):
    normal = document.styles["Normal"]
    normal.font.size = BODY_SIZE
    _set_fonts(normal.element.get_or_add_rPr(), BODY_FONT)
    language = OxmlElement("w:lang")
    language.set(qn("w:eastAsia"), "zh-CN")
    normal.element.get_or_add_rPr().append(language)
    paragraph_format = normal.paragraph_format
    paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    paragraph_format.line_spacing = LINE_PITCH
    paragraph_format.space_before = paragraph_format.space_after = Pt(0)


def _set_fonts(run_properties, role):
    fonts = run_properties.get_or_add_rFonts()
    fonts.set(qn("w:ascii"), role.fallback)
    fonts.set(qn("w:hAnsi"), role.fallback)
    fonts.set(qn("w:eastAsia"), role.official)
    fonts.set(qn("w:hint"), "eastAsia")


def _register_fonts(document):
    """List the official fonts in the font table, each with its common substitute as w:altName."""
    font_table_part = next(
        (rel.target_part for rel in document.part.rels.values() if rel.reltype.endswith("/fontTable")), None
    )
    if font_table_part is None:
        return
    root = etree.fromstring(font_table_part.blob)
    for role in (TITLE_FONT, BODY_FONT, HEADING_FONT, SUBHEADING_FONT, PAGE_NUMBER_FONT):
        font = etree.SubElement(root, qn("w:font"))
        font.set(qn("w:name"), role.official)
        for tag, value in (
            ("w:altName", role.fallback),
            ("w:charset", "86"),
            ("w:family", role.family),
            ("w:pitch", "variable"),
        ):
            etree.SubElement(font, qn(tag)).set(qn("w:val"), value)
    font_table_part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _add_page_number(section):
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _styled_run(paragraph, "— ", PAGE_NUMBER_FONT, SMALL_SIZE)
    for kind in ("begin", "instr", "separate", "number", "end"):
        run = _styled_run(paragraph, "", PAGE_NUMBER_FONT, SMALL_SIZE)
        if kind == "instr":
            instruction = OxmlElement("w:instrText")
            instruction.set(qn("xml:space"), "preserve")
            instruction.text = " PAGE "
            run._r.append(instruction)
        elif kind == "number":
            run.text = "1"  # shown until the field is updated
        else:
            field_char = OxmlElement("w:fldChar")
            field_char.set(qn("w:fldCharType"), kind)
            run._r.append(field_char)
    _styled_run(paragraph, " —", PAGE_NUMBER_FONT, SMALL_SIZE)


# --------------------------------------------------------------------------- paragraphs


def _styled_run(paragraph, text, role, size, bold=False):
    run = paragraph.add_run(text)
    run.font.size = size
    if bold:
        run.font.bold = True
    _set_fonts(run._r.get_or_add_rPr(), role)
    return run


def _add_paragraph(document, text, role, size, *, align=None, indent=True, right_characters=0):
    paragraph = document.add_paragraph()
    paragraph_format = paragraph.paragraph_format
    paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    paragraph_format.line_spacing = LINE_PITCH
    paragraph_format.space_before = paragraph_format.space_after = Pt(0)
    if align is not None:
        paragraph.alignment = align
    if indent:
        paragraph_format.first_line_indent = size * INDENT_CHARACTERS
        # firstLineChars keeps the indent at two characters if the font size is changed in Word.
        paragraph._p.get_or_add_pPr().get_or_add_ind().set(
            qn("w:firstLineChars"), str(INDENT_CHARACTERS * 100)
        )
    if right_characters:
        paragraph_format.right_indent = size * right_characters
    _styled_run(paragraph, text, role, size)
    return paragraph


def _add_blank(document):
    _add_paragraph(document, "", BODY_FONT, BODY_SIZE, indent=False)


def _write_header(document, letter):
    """类别 at the top left; 签发人 and 文号 at the top right, as on a letter-format document."""
    lines = []
    if letter.get("result_class"):
        lines.append((f"类别：{letter['result_class']}", WD_ALIGN_PARAGRAPH.LEFT))
    if letter.get("signed_by"):
        lines.append((f"签发人：{letter['signed_by']}", WD_ALIGN_PARAGRAPH.RIGHT))
    if letter.get("document_number"):
        lines.append((letter["document_number"], WD_ALIGN_PARAGRAPH.RIGHT))
    for text, align in lines:
        _add_paragraph(document, text, BODY_FONT, BODY_SIZE, align=align, indent=False)
    if lines:
        _add_blank(document)


def _write_item(document, item):
    label = item.get("number") or ""
    heading = item.get("heading") or ""
    if label or heading:
        if _FIRST_LEVEL_LABEL_RE.match(label):
            role = HEADING_FONT
        elif _SECOND_LEVEL_LABEL_RE.match(label):
            role = SUBHEADING_FONT
        else:
            role = BODY_FONT
        _add_paragraph(document, label + heading, role, BODY_SIZE)
    for paragraph in item.get("paragraphs") or []:
        _add_paragraph(document, paragraph, BODY_FONT, BODY_SIZE)
    for child in item.get("children") or []:
        _write_item(document, child)


def _write_sign_off(document, letter):
    issuer, date = letter.get("issuer"), letter.get("date")
    if issuer or date:
        _add_blank(document)
    if issuer:
        _add_paragraph(
            document,
            issuer,
            BODY_FONT,
            BODY_SIZE,
            align=WD_ALIGN_PARAGRAPH.RIGHT,
            indent=False,
            right_characters=SIGN_OFF_RIGHT_CHARACTERS,
        )
    if date:
        _add_paragraph(
            document,
            _chinese_date(date),
            BODY_FONT,
            BODY_SIZE,
            align=WD_ALIGN_PARAGRAPH.RIGHT,
            indent=False,
            right_characters=SIGN_OFF_RIGHT_CHARACTERS,
        )
    if letter.get("review_note"):
        _add_paragraph(document, letter["review_note"], BODY_FONT, BODY_SIZE)


def _chinese_date(iso_date):
    """2023-10-16 → 2023年10月16日 (GB/T 9704 writes the date in Arabic numerals, no padding)."""
    match = _ISO_DATE_RE.match(iso_date)
    if not match:
        return iso_date
    try:
        day = datetime.date(*(int(part) for part in match.groups()))
    except ValueError:
        return iso_date
    return format_day(day)


def _write_contact(document, contact):
    if not contact:
        return
    labels = (("unit", "联系单位"), ("person", "联系人"), ("phone", "联系电话"), ("postcode", "邮政编码"))
    lines = [f"{label}：{contact[key]}" for key, label in labels if contact.get(key)]
    if lines:
        _add_blank(document)
    for line in lines:
        _add_paragraph(document, line, BODY_FONT, BODY_SIZE, indent=False)


def _write_copies(document, copied_to):
    """The 版记 line: 抄送 units separated by commas, ending with a full stop, between rules."""
    if not copied_to:
        return
    _add_blank(document)
    paragraph = _add_paragraph(
        document, "抄送：" + "，".join(copied_to) + "。", BODY_FONT, SMALL_SIZE, indent=False
    )
    paragraph.paragraph_format.left_indent = SMALL_SIZE
    paragraph.paragraph_format.right_indent = SMALL_SIZE
    borders = OxmlElement("w:pBdr")
    for edge in ("top", "bottom"):
        rule = OxmlElement(f"w:{edge}")
        for attribute, value in (("w:val", "single"), ("w:sz", "8"), ("w:space", "1"), ("w:color", "auto")):
            rule.set(qn(attribute), value)
        borders.append(rule)
    _insert_borders(paragraph._p.get_or_add_pPr(), borders)


def _insert_borders(paragraph_properties, borders):
    # pBdr must precede spacing/ind/jc in pPr (schema order), or Word reports the file as damaged.
    for tag in (
        "w:shd",
        "w:tabs",
        "w:suppressAutoHyphens",
        "w:kinsoku",
        "w:wordWrap",
        "w:overflowPunct",
        "w:topLinePunct",
        "w:autoSpaceDE",
        "w:autoSpaceDN",
        "w:bidi",
        "w:adjustRightInd",
        "w:snapToGrid",
        "w:spacing",
        "w:ind",
        "w:contextualSpacing",
        "w:mirrorIndents",
        "w:suppressOverlap",
        "w:jc",
    ):
        successor = paragraph_properties.find(qn(tag))
        if successor is not None:
            successor.addprevious(borders)
            return
    paragraph_properties.append(borders)


# --------------------------------------------------------------------------- parts written from fields


def _title_lines(letter):
    if letter.get("title_lines"):
        return list(letter["title_lines"])
    number, session = letter.get("number"), letter.get("session")
    if not number and not session:
        return []
    first, second = title_lines(session, number, _KIND_WORD.get(letter.get("kind"), ""))
    if len(first) + len(second) <= 22:
        return [first + second]
    return [first, second]  # wrapped where the seed letter wraps: after the session


def _salutation(letter):
    if letter.get("salutation"):
        return letter["salutation"]
    addressees = letter.get("addressees") or []
    if not addressees:
        return None
    return "、".join(addressees) + (letter.get("addressee_title") or "") + "："


def _opening(letter):
    """The printed opening, or one written from the fields so that they survive a round trip."""
    if letter.get("opening"):
        return list(letter["opening"])
    kind_word = _KIND_WORD.get(letter.get("kind"), "")
    sentences = []
    subject = f"《{letter['proposal_title']}》" if letter.get("proposal_title") else kind_word
    if subject or letter.get("session"):
        where = f"您在{letter['session']}上提出的" if letter.get("session") else "您提出的"
        number = f"（第{letter['number']}号）" if letter.get("number") else ""
        sentences.append(f"{where}{subject}{number}收悉。")
    if letter.get("lead_department"):
        handled = f"该{kind_word or '件'}由"
        if letter.get("assigned_by"):
            handled += f"{letter['assigned_by']}交由"
        handled += f"{letter['lead_department']}主办"
        if letter.get("co_departments"):
            handled += "，" + "、".join(letter["co_departments"]) + "会办"
        sentences.append(handled + "。")
    if not sentences:
        return []
    if letter.get("items"):
        sentences.append("现答复如下：")
    return ["".join(sentences)]
