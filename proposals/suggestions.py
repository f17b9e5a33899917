"""The numbered 具体建议 of a proposal, split from its body text.

A body is usually written as 情况分析 (the problem, often numbered itself) and then a suggestions
section introduced by a heading (“三、对策建议”, “具体建议如下：”, “为此，建议：”). The splitter finds
that heading, takes the first numbering style used after it as the suggestions' own (a nested style
stays inside its suggestion), and keeps the run 1, 2, 3… of that style. Without a heading, the whole
body is read the same way. Numbering at line starts is preferred; a one-paragraph list
(“建议：一是…；二是…”) is split at its markers. A body without numbered suggestions gives [].

`split_suggestions` is pure (no database); `suggestions_from_body` writes what it finds for a newly
logged proposal, `save_suggestions` what the office corrected by hand.
"""

import re
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F

from tracker import limits

from .models import Suggestion

_CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN = "一二三四五六七八九十"
_FULLWIDTH = str.maketrans("０１２３４５６７８９（）．：，", "0123456789().:,")
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def _cn_number(text):
    """一 → 1, 十一 → 11, 二十三 → 23 (numbers up to 99 are enough for numbering); None for
    anything else (“十十”, “二三”)."""
    if "十" not in text:
        return _CN_DIGITS.get(text)
    tens, _sep, ones = text.partition("十")
    tens = _CN_DIGITS.get(tens) if tens else 1
    ones = _CN_DIGITS.get(ones) if ones else 0
    if tens is None or ones is None:
        return None
    return tens * 10 + ones


# Each style: (name, pattern on a normalised line start, group holding the number, reader).
_STYLES = [
    ("cn_dun", re.compile(rf"^([{_CN}]{{1,3}})、\s*"), _cn_number),
    ("cn_paren", re.compile(rf"^\(([{_CN}]{{1,3}})\)\s*"), _cn_number),
    ("arabic_paren", re.compile(r"^\((\d{1,2})\)\s*"), int),
    ("arabic", re.compile(r"^(\d{1,2})(?:[.、](?!\d)|\s)\s*"), int),
    ("di", re.compile(rf"^第([{_CN}]{{1,3}})[,、:]\s*"), _cn_number),
    ("shi", re.compile(rf"^([{_CN}]{{1,3}})是[,:]?\s*"), _cn_number),
    ("circled", re.compile(rf"^([{_CIRCLED}])\s*"), lambda c: _CIRCLED.index(c) + 1),
]
# The same markers inside a paragraph, after the punctuation that ends the previous point.
_INLINE = [
    re.compile(rf"(?:^|[：:；;。，,])\s*([{_CN}]{{1,3}})是[，,:：]?"),
    re.compile(r"(?:^|[：:；;。])\s*(\d{1,2})[.．、](?!\d)"),
    re.compile(r"(?:^|[：:；;。])\s*[（(](\d{1,2})[)）]"),
    re.compile(rf"(?:^|[：:；;。])\s*第([{_CN}]{{1,3}})[，,、]"),
]

# A line that opens the suggestions: a short numbered heading naming them, or a lead-in ending in a
# colon or 建议 (“为此，提出如下建议。”).
_HEADING_WORDS = re.compile(r"建议|对策|措施|意见")
_LEAD_IN = re.compile(r"(建议|如下|措施|对策)[:：。]?$")
_INLINE_LEAD = re.compile(r"建议(如下)?[:：]")
# A list introduced as the problem (“存在以下问题：”, “二、存在问题”) is analysis, not suggestions.
_ANALYSIS_WORDS = re.compile(r"问题|现状|原因|不足|困难|困境|短板|情况|成效|基本")
_PARKED = 1000  # added to positions while a save reorders suggestions
_CLOSING = re.compile(r"^(以上建议|以上意见|以上|妥否|此致|特此|请审议|请予)")


@dataclass
class _Line:
    raw: str  # the line as written, stripped
    norm: str  # full-width digits and brackets made ASCII, for matching markers


def _lines(body):
    lines = []
    for raw in body.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        raw = raw.strip().replace("\u3000", " ").strip()
        if raw:
            lines.append(_Line(raw, raw.translate(_FULLWIDTH)))
    return lines


def _marker(line):
    """(style, number, marker length) of a numbered line, or None."""
    for name, pattern, reader in _STYLES:
        match = pattern.match(line.norm)
        if match:
            number = reader(match.group(1))
            if number:
                return name, number, match.end()
    return None


def _is_heading(line):
    marker = _marker(line)
    if marker is not None:
        rest = line.norm[marker[2] :]
        return len(rest) <= 20 and bool(_HEADING_WORDS.search(rest)) and not rest.endswith("。")
    last = _last_sentence(line.norm)
    return len(last) <= 40 and bool(_LEAD_IN.search(last))


def _last_sentence(text):
    """The last sentence of a paragraph (a lead-in often ends a paragraph of analysis)."""
    return re.split(r"[。！？!?]", text.rstrip("。"))[-1] + ("。" if text.endswith("。") else "")


def _region(lines):
    """The lines after the suggestions' heading, and the heading's own marker style (a later line of
    that style ends the section: “四、结语”)."""
    for index, line in enumerate(lines):
        if _is_heading(line):
            marker = _marker(line)
            return lines[index + 1 :], (marker[0] if marker else None), line
    return lines, None, None


def _run(lines, stop_style, in_section):
    """The top-level numbered run in `lines`: a list of (start index, marker length), and where the
    section ends (a line of the heading's own style, or the end)."""
    style, run, end = None, [], len(lines)
    for index, line in enumerate(lines):
        marker = _marker(line)
        if marker is None:
            continue
        name, number, length = marker
        if stop_style and name == stop_style:
            end = index
            break
        if style is None:
            if number != 1 or not in_section and _introduces_analysis(lines[:index]):
                continue
            style = name
        if name != style:
            continue
        if number == len(run) + 1:
            run.append((index, length))
        elif number == 1:
            end = index
            break  # the same style starting again: a later list, not ours
    return run, end


def _introduces_analysis(before):
    """Whether the line before a list presents it as the problem rather than the suggestions."""
    if not before:
        return False
    line = before[-1]
    marker = _marker(line)
    if marker is not None:
        rest = line.norm[marker[2] :]
        return len(rest) <= 20 and bool(_ANALYSIS_WORDS.search(rest))
    last = _last_sentence(line.norm)
    return last.endswith((":", "：")) and bool(_ANALYSIS_WORDS.search(last))


def _clean(text):
    return text.strip().strip("，,：:").strip()


def _split_inline(text):
    """A one-paragraph list: “建议：一是…；二是…；三是…”."""
    norm = text.translate(_FULLWIDTH)
    for pattern in _INLINE:
        matches = list(pattern.finditer(norm))
        numbers = []
        for match in matches:
            value = match.group(1)
            numbers.append(int(value) if value.isdigit() else _cn_number(value))
        # The longest prefix 1, 2, 3… of the markers found.
        run = []
        for match, number in zip(matches, numbers, strict=True):
            if number == len(run) + 1:
                run.append(match)
            elif run:
                break
        if len(run) >= 2:
            parts = []
            for n, match in enumerate(run):
                end = run[n + 1].start() if n + 1 < len(run) else len(text)
                parts.append(text[match.end() : end].strip().rstrip("；;。，,").strip())
            return [part for part in parts if part]
    return []


def split_suggestions(body):
    """The numbered suggestions of a proposal body, as texts without their numerals; [] when the
    body has none. Each suggestion keeps its lines (and any numbering nested in it)."""
    lines = _lines(body or "")
    region, stop_style, heading = _region(lines)
    run, end = _run(region, stop_style, heading is not None)
    if not run:
        # A lead-in and its list on one line, or a list inside one paragraph.
        candidates = ([heading] if heading else []) + region
        for line in candidates:
            tail = line.raw
            lead = _INLINE_LEAD.search(tail)
            if lead:
                tail = tail[lead.end() :]
            parts = _split_inline(tail)
            if parts:
                return parts[: limits.SUGGESTIONS_PER_PROPOSAL]
        return []
    suggestions = []
    for n, (start, length) in enumerate(run):
        chunk = region[start : run[n + 1][0] if n + 1 < len(run) else end]
        if n + 1 == len(run):
            # The last suggestion ends before a closing line (以上建议妥否，请审议。).
            for offset, line in enumerate(chunk[1:], 1):
                if _CLOSING.match(line.norm):
                    chunk = chunk[:offset]
                    break
        # Normalising keeps every character one character, so the marker's length holds in raw.
        first = _clean(chunk[0].raw[length:])
        texts = [first] + [line.raw for line in chunk[1:]]
        suggestions.append("\n".join(text for text in texts if text))
    return [text for text in suggestions if text][: limits.SUGGESTIONS_PER_PROPOSAL]


def suggestions_from_body(proposal):
    """Write the suggestions split from the proposal's body (office log form, Excel import).

    Splits that yield a part longer than a suggestion may hold are not trusted: the office enters
    those by hand (/office/proposals/<id>/suggestions/)."""
    texts = split_suggestions(proposal.body)
    if any(len(text) > limits.SUGGESTION_MAX for text in texts):
        return []
    return Suggestion.objects.bulk_create(
        Suggestion(proposal=proposal, position=position, text=text) for position, text in enumerate(texts, 1)
    )


@transaction.atomic
def save_suggestions(proposal, rows):
    """Make the proposal's suggestions `rows` — (existing Suggestion or None, text) in their new
    order — keeping each existing row (and the reply items linked to it), deleting the rest."""
    kept = [instance.pk for instance, _text in rows if instance is not None]
    Suggestion.objects.filter(proposal=proposal).exclude(pk__in=kept).delete()
    # Park the kept rows on free positions first, so the unique position holds at every step.
    Suggestion.objects.filter(pk__in=kept).update(position=F("position") + _PARKED)
    changed, created = [], []
    for position, (instance, text) in enumerate(rows, 1):
        if instance is None:
            created.append(Suggestion(proposal=proposal, position=position, text=text))
        else:
            instance.position, instance.text = position, text
            changed.append(instance)
    Suggestion.objects.bulk_update(changed, ["position", "text"])
    Suggestion.objects.bulk_create(created)
    # Bulk writes send no signals: saving the proposal tells the statistics and the page cache.
    proposal.save(update_fields=["updated_at"])
