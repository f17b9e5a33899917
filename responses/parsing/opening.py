"""What the opening says: the proposal's title, number, session, kind and assignment."""

from .front import _kind_from_text
from .normalisation import _normalise, _number_match, _number_value, _squeeze
from .patterns import (
    _ASSIGNMENT_PATTERNS,
    _CO_DEPARTMENTS_RE,
    _PROPOSAL_TITLE_PATTERNS,
    _QUOTED_RE,
    _SELF_REFERENCE_RE,
    _SESSION_IN_OPENING_RE,
    _UNIT_LIST_SEPARATOR_RE,
)

# ------------------------------------------------------------------ opening facts


def _read_opening_facts(letter):
    """Proposal title, number, session, kind and assignment from the opening paragraphs."""
    for paragraph in letter.opening:
        norm = _normalise(paragraph)
        title_span = None
        if letter.proposal_title is None:
            title_span = _proposal_title_span(norm)
            if title_span:
                letter.proposal_title = paragraph[title_span[0] : title_span[1]].strip() or None
        masked = _mask(norm, title_span)
        if letter.number is None:
            number_match = _number_match(masked)
            if number_match:
                letter.number = _number_value(masked, number_match)
                letter.offer("number", letter.number, paragraph, "开头中的编号", score=2)
        if letter.session is None:
            session_match = _SESSION_IN_OPENING_RE.search(masked)
            if session_match:
                session_raw = paragraph[session_match.start("session") : session_match.end("session")]
                letter.session = _squeeze(session_raw)
        if letter.kind is None:
            letter.kind = _kind_from_text(masked)
        if letter.lead_department is None:
            _read_assignment(paragraph, masked, letter)


def _proposal_title_span(norm):
    for pattern in _PROPOSAL_TITLE_PATTERNS:
        match = pattern.search(norm)
        if match:
            return match.start("title"), match.end("title")
    return None


def _mask(norm, span):
    """Blank out quoted text (the proposal title) so words inside it are not read as the letter's."""
    masked = _QUOTED_RE.sub(lambda match: "□" * len(match.group(0)), norm)
    if span:
        masked = masked[: span[0]] + "□" * (span[1] - span[0]) + masked[span[1] :]
    return masked


def _read_assignment(raw, masked, letter):
    for pattern in _ASSIGNMENT_PATTERNS:
        match = pattern.search(masked)
        if not match:
            continue
        groups = match.groupdict()
        if groups.get("by"):
            letter.assigned_by = _squeeze(raw[match.start("by") : match.end("by")]) or None
        letter.lead_department = _squeeze(raw[match.start("lead") : match.end("lead")]) or None
        if groups.get("co"):
            letter.co_departments = _unit_list(raw[match.start("co") : match.end("co")])
        else:
            co_match = _CO_DEPARTMENTS_RE.match(masked, match.end())
            if co_match:
                letter.co_departments = _unit_list(raw[co_match.start("co") : co_match.end("co")])
        return


def _unit_list(raw):
    units = []
    for part in _UNIT_LIST_SEPARATOR_RE.split(_normalise(raw)):
        unit = _squeeze(part)
        if unit.startswith(("以及", "及")) and len(unit) > 3:
            unit = unit[2:] if unit.startswith("以及") else unit[1:]
        if unit:
            units.append(unit)
    return units


def _resolve_self_reference(letter):
    if letter.lead_department and letter.issuer and _SELF_REFERENCE_RE.match(letter.lead_department):
        letter.lead_department = letter.issuer
