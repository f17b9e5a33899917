"""The closing, the opening paragraphs and the numbered sections of the body."""

from .commitments import _fill_commitments
from .patterns import (
    _ANSWER_FOLLOWS_RE,
    _CLOSING_ANYWHERE_RE,
    _CLOSING_MAX_LENGTH,
    _CLOSING_RE,
    _HEADING_BREAK_RE,
    _HEADING_PATTERNS,
    _OPENING_HINT_RE,
)
from .results import LetterItem

# ------------------------------------------------------------------ closing and body


def _is_closing(line):
    norm = line.norm
    if _heading_match(norm):
        return False
    if _CLOSING_RE.match(norm):
        return True
    return len(norm) <= _CLOSING_MAX_LENGTH and bool(_CLOSING_ANYWHERE_RE.search(norm))


def _find_closing_start(lines, body_start, trailer_start):
    start = trailer_start
    while start - 1 >= body_start and _is_closing(lines[start - 1]):
        start -= 1
    if start == body_start and body_start < trailer_start and _OPENING_HINT_RE.search(lines[body_start].norm):
        start += 1  # the opening itself thanked the proposer; keep it as the opening
    return start


def _heading_match(norm):
    """(rank, match) when the line starts with a section label, else None."""
    if not norm or norm[0] not in "一二三四五六七八九十（0123456789①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳":
        return None
    for rank, pattern in _HEADING_PATTERNS:
        match = pattern.match(norm)
        if match:
            return rank, match
    return None


def _read_body(body, letter):
    """Opening paragraphs, then the numbered items (or one unnumbered item)."""
    first_heading = next((index for index, line in enumerate(body) if _heading_match(line.norm)), None)
    if first_heading is None:
        opening_end = _opening_end_without_headings(body)
        letter.opening.extend(line.raw for line in body[:opening_end])
        rest = body[opening_end:]
        if rest:
            letter.items = [LetterItem(paragraphs=[line.raw for line in rest])]
    else:
        letter.opening.extend(line.raw for line in body[:first_heading])
        letter.items = _build_items(body[first_heading:])
    for item in letter.items:
        _fill_commitments(item)


def _opening_end_without_headings(body):
    for index, line in enumerate(body[:3]):
        if _ANSWER_FOLLOWS_RE.search(line.norm):
            return index + 1
    if body and _OPENING_HINT_RE.search(body[0].norm):
        return 1
    return 0


def _build_items(lines):
    items = []
    open_items = []
    for line in lines:
        heading = _heading_match(line.norm)
        if heading is None:
            open_items[-1].paragraphs.append(line.raw)
            continue
        item = _item_from_heading(line, *heading)
        while open_items and open_items[-1].rank >= item.rank:
            open_items.pop()
        (open_items[-1].children if open_items else items).append(item)
        open_items.append(item)
    return items


def _item_from_heading(line, rank, match):
    label_end = match.end()
    printed_label = line.raw[:label_end]
    text_raw = line.raw[label_end:]
    text_norm = line.norm[label_end:]
    item = LetterItem(number=printed_label.strip(), printed_label=printed_label, rank=rank)
    split = _HEADING_BREAK_RE.search(text_norm)
    if split is None:
        item.heading = text_raw.strip()
        return item
    item.heading = text_raw[: split.start()].strip()
    item.heading_end = text_raw[split.start()]
    rest = text_raw[split.end() :]
    if rest.strip():
        if item.heading_end == "：" and len(rest.strip()) < 8:
            item.heading, item.heading_end = text_raw.strip(), ""
            return item
        item.run_in = True
        item.heading_end += rest[: len(rest) - len(rest.lstrip())]
        item.paragraphs.append(rest.strip())
    return item
