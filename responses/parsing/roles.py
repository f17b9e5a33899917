"""What each line is, from a scored set of cues, and why: the reader's one classifier.

`classify(line)` looks at one line on its own and returns a `Verdict`: the role with the highest
score and the cues that gave it. Position decides the rest — the parser takes the trailer as the
run of sign-off roles at the end of the letter, in any order — so the cues here never look at
neighbours. `explain(parsed)` lists every line of a parsed letter with its role and reason; it is
what `python manage.py parse_letter --explain FILE` prints.
"""

from dataclasses import dataclass

from .body import _heading_match, _is_closing
from .dates import _date_line
from .front import _class_mark, _header_fields, _header_role
from .normalisation import _is_unit_name, _squeeze
from .patterns import (
    _ATTACHMENT_RE,
    _CONTACT_KEY_RE,
    _COPIES_RE,
    _DISCLOSURE_RE,
    _NOISE_RE,
    _PAGE_NUMBER_RE,
    _PHONE_RE,
    _REVIEW_NOTE_RE,
    _SEAL_RE,
)

ROLE_LABELS = {
    "title": "标题",
    "title_repeat": "重复的标题",
    "document_number": "文号",
    "class": "办复类别",
    "signer": "签发人",
    "header": "版头字段",
    "salutation": "称呼",
    "opening": "开头",
    "heading": "小标题",
    "body": "正文",
    "closing": "结束语",
    "issuer": "落款单位",
    "date": "日期",
    "contact": "联系方式",
    "copies": "抄送",
    "attachment": "附件",
    "review": "审签说明",
    "disclosure": "公开属性",
    "seal": "印章",
    "furniture": "网页或页面杂项",
    "unparsed": "未识别",
}

# Roles that may stand after the closing, in any order.
TRAILER_ROLES = frozenset(
    {
        "date",
        "contact",
        "copies",
        "signer",
        "class",
        "document_number",
        "header",
        "review",
        "disclosure",
        "seal",
        "attachment",
        "furniture",
        "issuer",
    }
)
_MAX_CUED_LENGTH = 200


@dataclass(frozen=True)
class Verdict:
    role: str | None
    score: int = 0
    why: tuple = ()


def classify(line):
    """The role of one line on its own; Verdict(None) when no cue speaks for any role."""
    scores, reasons = {}, {}
    for role, weight, why in _cues(line):
        scores[role] = scores.get(role, 0) + weight
        reasons.setdefault(role, []).append(why)
    if not scores:
        return Verdict(None)
    best = max(scores, key=scores.get)  # first of equals: the cues' own order breaks ties
    return Verdict(best, scores[best], tuple(reasons[best]))


def _cues(line):
    norm = line.norm
    if len(norm) > _MAX_CUED_LENGTH:
        yield "body", 3, f"长段落（超过{_MAX_CUED_LENGTH}字）"
        return
    heading = _heading_match(norm)
    if heading:
        yield "heading", 4, f"以序号“{heading[1].group(0).strip()}”开头"
    if _PAGE_NUMBER_RE.match(norm):
        yield "furniture", 5, "页码（— 2 — / 第2页）"
    date = _date_line(line)
    if date:
        yield "date", 3, "整行是日期" + (f"，前有单位“{date[0]}”" if date[0] else "")
    contact = _CONTACT_KEY_RE.match(norm.lstrip("（【"))
    if contact:
        yield "contact", 3, f"以“{_squeeze(contact.group(1))}：”开头"
    if len(norm) <= 60 and "。" not in norm and _PHONE_RE.search(norm) and not date:
        yield "contact", 1, "含电话号码"
    copies = _COPIES_RE.match(norm)
    if copies:
        yield "copies", 3, f"以“{_squeeze(copies.group(1))}：”开头"
    fields = _header_fields(line)
    if fields:
        keys = "、".join(f"“{key}：”" for key, _value in fields)
        yield _header_role(fields[0][0]), 3, f"版头字段 {keys}"
    elif _class_mark(line):
        yield "class", 3, "办复类别标记（如：B类）"
    if _REVIEW_NOTE_RE.match(norm):
        yield "review", 3, "审签说明（此复函已经…审签）"
    if _DISCLOSURE_RE.match(norm):
        yield "disclosure", 3, "公开属性（此件公开发布）"
    if _SEAL_RE.match(norm):
        yield "seal", 3, "印章位置（公章）"
    if _ATTACHMENT_RE.match(norm):
        yield "attachment", 2, "以“附件”开头"
    if _NOISE_RE.match(norm):
        yield "furniture", 2, "网页栏目（来源、发布时间、打印、关闭…）"
    if _is_unit_name(norm):
        yield "issuer", 2, "以单位名称结尾（…局、…委员会、…政府）"
    if "。" in norm or len(norm) > 60:
        yield "body", 1, "成句（有句号或超过60字）"
    if _is_closing(line):
        yield "closing", 2, "结束语（感谢…、此复）"


def explain(parsed):
    """[(role, role label, printed line, why)] for every line of a parsed letter, in order."""
    rows = [(role, line, why) for role, line, why in parsed.front_lines]
    if not parsed.front_lines:
        rows.extend(("title", line, "标题") for line in parsed.title_lines)
    opening = list(parsed.opening)
    if parsed.salutation:
        rows.append(("salutation", parsed.salutation, "称呼（…委员：/…代表：/单位：）"))
        if parsed.salutation_inline and opening:
            opening.pop(0)
            rows[-1] = ("salutation", rows[-1][1] + parsed.opening[0], "称呼，与开头同在一行")
    rows.extend(("opening", line, "开头（您提出的…收悉，现答复如下）") for line in opening)
    for item in parsed.items:
        rows.extend(_item_rows(item))
    rows.extend(("closing", line, "结束语（感谢…、此复）") for line in parsed.closing_paragraphs)
    rows.extend((role, line, why) for role, line, why in parsed.trailer_lines)
    return [(role, ROLE_LABELS.get(role, role), line, why) for role, line, why in rows]


def _item_rows(item):
    rows = []
    paragraphs = list(item.paragraphs)
    if item.number or item.heading:
        line = (item.printed_label or item.number) + item.heading + item.heading_end
        if item.run_in and paragraphs:
            line += paragraphs.pop(0)
        rows.append(("heading", line, f"以序号“{item.number}”开头"))
    for paragraph in paragraphs:
        promised = [text for text in item.commitments if text in paragraph]
        why = f"正文，含承诺 {len(promised)} 条" if promised else "正文"
        rows.append(("body", paragraph, why))
    for child in item.children:
        rows.extend(_item_rows(child))
    return rows
