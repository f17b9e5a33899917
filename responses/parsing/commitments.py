"""The 下一步 commitments, cut out of the paragraphs as exact substrings."""

from .normalisation import _NORMALISE
from .patterns import (
    _CN_NUMERAL,
    _COMMITMENT_LEAD_RE,
    _COMMITMENT_MIDWAY_RE,
    _ENUMERATION_RES,
    _ENUMERATION_START_RE,
    _SENTENCE_END_RE,
)

# ------------------------------------------------------------------ commitments


def find_commitments(paragraph):
    """Commitments made in one paragraph, as exact substrings of it.

    A paragraph holds commitments when it starts with 下一步 / 下步 / 下一阶段 / 接下来 (a comma
    or colon may follow) or 今后， — or when 下一步， starts a sentence inside it.

    * If the text after that lead contains an enumeration 一是…二是…三是… (each X是 at the start
      of a clause), every X是 clause is one commitment: from X是 up to and including the first
      。！？ after it, or up to the next X是 when that comes first (一是A；二是B。 gives
      "一是A；" and "二是B。"). The framing before 一是 and any sentences after the last
      clause's full stop are not commitments.
    * Otherwise the whole text after the lead (下一步，) to the end of the paragraph is one
      commitment.

    A lead whose text ends with a colon (下一步，我们将重点做好以下工作：) introduces a list in
    the following paragraphs; see `_item_commitments`.
    """
    return _commitments_in(paragraph, paragraph.translate(_NORMALISE))


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


def _enumerated_commitments(raw, norm, start, first_numeral=0):
    """X是 clauses from `start` on, numbered from the `first_numeral`-th numeral (0 for 一是)."""
    markers = []
    position = start
    for pattern in _ENUMERATION_RES[first_numeral:]:
        match = pattern.search(norm, position)
        if match is None:
            break
        markers.append(match.start())
        position = match.end()
    commitments = []
    for index, marker in enumerate(markers):
        next_marker = markers[index + 1] if index + 1 < len(markers) else len(norm)
        sentence_end = _SENTENCE_END_RE.search(norm, marker + 2)
        end = min(sentence_end.end(), next_marker) if sentence_end else next_marker
        text = raw[marker:end].rstrip()
        if text:
            commitments.append(text)
    return commitments


def _item_commitments(paragraphs):
    """Commitments in an item's own paragraphs.

    After a 下一步 paragraph ending with a colon, each following paragraph that starts with
    一是 / 二是 … contributes its X是 clauses. If no such paragraph follows, the colon paragraph's
    own text counts, so the promise is not lost.
    """
    commitments = []
    listing = None  # the colon-ended lead paragraph's own commitments while a list may follow
    listed_any = False
    for raw in paragraphs:
        norm = raw.translate(_NORMALISE)
        if listing is not None:
            enumeration = _ENUMERATION_START_RE.match(norm)
            if enumeration:
                first_numeral = _CN_NUMERAL.index(norm[0])
                commitments.extend(_enumerated_commitments(raw, norm, 0, first_numeral))
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


def _fill_commitments(item):
    item.commitments = _item_commitments(item.paragraphs)
    for child in item.children:
        _fill_commitments(child)
