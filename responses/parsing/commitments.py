"""The 下一步 commitments, cut out of the paragraphs as exact substrings."""

from .normalisation import _normalise
from .patterns import (
    _CN_NUMERAL,
    _COMMITMENT_LEAD_RE,
    _COMMITMENT_MIDWAY_RE,
    _ENUMERATION_START_RE,
    _ENUMERATION_STYLES,
    _FORWARD_CLAUSE_RE,
    _FORWARD_SENTENCE_RE,
    _PAST_MARKER_RE,
    _SENTENCE_RE,
)

# ------------------------------------------------------------------ commitments


def find_commitments(paragraph):
    """Commitments made in one paragraph, as exact substrings of it.

    A paragraph holds commitments when it starts with 下一步 / 下步 / 下一阶段 / 下阶段 / 接下来
    (a comma or colon may follow) or 今后，, possibly after 同时，/ 此外， — or when 下一步，
    starts a sentence inside it.

    * If the text after that lead contains an enumeration, every enumerated clause is one
      commitment. The enumerators are 一是…二是…, 第一，…第二，…, 1.…2.… and （1）…（2）…, each
      at the start of a clause; the three last count only from two markers on, and when several
      styles occur the one that starts first wins (the others are nested in its clauses). A
      clause runs from its marker to the next marker, or to the end of the paragraph for the last
      one, over as many sentences as it takes (一是A。推动A落地。二是B。 gives "一是A。推动A落地。"
      and "二是B。"). The framing before the first marker is not a commitment.
    * Otherwise the whole text after the lead (下一步，) to the end of the paragraph is one
      commitment.

    A lead whose text ends with a colon (下一步，我们将重点做好以下工作：) introduces a list in
    the following paragraphs; see `_item_commitments`.
    """
    return _commitments_in(paragraph, _normalise(paragraph))


def _commitment_lead_end(norm):
    lead = _COMMITMENT_LEAD_RE.match(norm)
    if lead:
        return lead.end()
    midway = _COMMITMENT_MIDWAY_RE.search(norm)
    return midway.end() if midway else None


def _commitments_in(raw, norm):
    lead_end = _commitment_lead_end(norm)
    if lead_end is None:
        return []
    enumerated = _enumerated_commitments(raw, norm, lead_end)
    if enumerated:
        return enumerated
    text = raw[lead_end:].strip()
    return [text] if text else []


def _enumeration_markers(norm, start, patterns, first_numeral):
    """Where each ordinal's marker starts, in sequence from `start`: [] when the first is absent."""
    markers = []
    position = start
    for pattern in patterns[first_numeral:]:
        match = pattern.search(norm, position)
        if match is None:
            break
        markers.append(match.start())
        position = match.end()
    return markers


def _enumerated_commitments(raw, norm, start, style=None, first_numeral=0):
    """The enumerated clauses from `start` on, in the given style (an index of
    `_ENUMERATION_STYLES`) from its `first_numeral`-th marker, or in the style that starts first."""
    if style is None:
        markers = []
        for patterns, minimum in _ENUMERATION_STYLES:
            found = _enumeration_markers(norm, start, patterns, first_numeral)
            if len(found) >= minimum and (not markers or found[0] < markers[0]):
                markers = found
    else:
        markers = _enumeration_markers(norm, start, _ENUMERATION_STYLES[style][0], first_numeral)
    commitments = []
    for index, marker in enumerate(markers):
        end = markers[index + 1] if index + 1 < len(markers) else len(norm)
        text = raw[marker:end].rstrip()
        if text:
            commitments.append(text)
    return commitments


def _item_commitments(paragraphs):
    """Commitments in an item's own paragraphs.

    After a 下一步 paragraph ending with a colon, each following paragraph that starts with
    一是 / 二是 … (or 第一，/ 第二，…) contributes its enumerated clauses. If no such paragraph
    follows, the colon paragraph's own text counts, so the promise is not lost.
    """
    commitments = []
    listing = None  # the colon-ended lead paragraph's own commitments while a list may follow
    listed_any = False
    for raw in paragraphs:
        norm = _normalise(raw)
        if listing is not None:
            enumeration = _ENUMERATION_START_RE.match(norm)
            if enumeration:
                style = 0 if enumeration["shi"] else 1
                first_numeral = _CN_NUMERAL.index(enumeration["shi"] or enumeration["di"])
                commitments.extend(_enumerated_commitments(raw, norm, 0, style, first_numeral))
                listed_any = True
                continue
            if not listed_any:
                commitments.extend(listing)
            listing = None
        lead_end = _commitment_lead_end(norm)
        if lead_end is None:
            continue
        if norm.rstrip().endswith("：") and not _enumerated_commitments(raw, norm, lead_end):
            listing = _commitments_in(raw, norm)
            listed_any = False
            continue
        commitments.extend(_commitments_in(raw, norm))
    if listing is not None and not listed_any:
        commitments.extend(listing)
    return commitments


def _forward_looking(paragraph):
    """Sentences of a paragraph that promise without a 下一步 lead, as exact substrings.

    A sentence counts when it starts with a promise (我局将…, 拟…, 计划…, 争取…, 今后，我们将…)
    and no 已 / 曾 stands before the promise (已将…纳入 reports, it does not promise).
    """
    norm = _normalise(paragraph)
    found = []
    for sentence in _SENTENCE_RE.finditer(norm):
        start = sentence.start() + len(sentence.group(0)) - len(sentence.group(0).lstrip())
        cue = _FORWARD_SENTENCE_RE.match(norm, start)
        if cue is None:  # 经研究，…，我们将…: the promise starts at its clause
            cue = _FORWARD_CLAUSE_RE.search(norm, start, sentence.end())
            start = cue.start() + len(cue.group(0)) - len(cue.group(0).lstrip()) if cue else start
        if cue and not _PAST_MARKER_RE.search(norm, start, cue.end()):
            found.append(paragraph[start : sentence.end()].rstrip())
    return found


def _fill_commitments(item):
    """An item's commitments: its 下一步 paragraphs', else the promises of its last paragraph."""
    item.commitments = _item_commitments(item.paragraphs)
    if not item.commitments and item.paragraphs:
        item.commitments = _forward_looking(item.paragraphs[-1])
    for child in item.children:
        _fill_commitments(child)
