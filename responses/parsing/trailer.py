"""The trailer zone: sign-off unit, date, review note, contact block, copies, marks."""

import datetime
import re

from .body import _heading_match
from .front import _apply_header_fields, _class_mark, _header_fields, _scan_fields
from .normalisation import _squeeze
from .patterns import (
    _CN_DIGIT_VALUE,
    _CONTACT_FIELD_OF_KEY,
    _CONTACT_KEY_RE,
    _COPIES_RE,
    _COPY_LIST_SEPARATOR_RE,
    _DATE_LINE_RE,
    _DISCLOSURE_RE,
    _HEADING_PATTERNS,
    _NOISE_RE,
    _NOT_IN_UNIT_RE,
    _REVIEW_NOTE_RE,
    _SEAL_RE,
    _UNIT_SUFFIXES,
    _WHITESPACE_RE,
)
from .results import Contact

# ------------------------------------------------------------------ trailer zone


def _trailer_role(line):
    """What a sign-off / contact / copies line is, or None for prose and headings."""
    norm = line.norm
    if len(norm) > 200 or _heading_match(norm):
        return None
    if _date_line(line):
        return "date"
    if _CONTACT_KEY_RE.match(norm.lstrip("（【")):
        return "contact"
    if _COPIES_RE.match(norm):
        return "copies"
    if _header_fields(line) or _class_mark(line):
        return "mark"
    if _REVIEW_NOTE_RE.match(norm):
        return "review"
    if _DISCLOSURE_RE.match(norm):
        return "disclosure"
    if _SEAL_RE.match(norm):
        return "seal"
    if _NOISE_RE.match(norm):
        return "noise"
    if _is_unit_name(norm):
        return "issuer"
    return None


def _is_unit_name(norm):
    name = norm.strip()
    if not 2 <= len(name) <= 40 or _NOT_IN_UNIT_RE.search(name):
        return False
    return name.endswith(_UNIT_SUFFIXES)


def _date_line(line):
    """(issuer prefix or '', ISO date or None, is_imprint) for a date line, else None."""
    norm = line.norm
    if len(norm) > 60 or not ("年" in norm or "-" in norm or "." in norm or "/" in norm):
        return None
    match = _DATE_LINE_RE.fullmatch(norm)
    if not match:
        return None
    prefix = match.group("prefix").strip()
    if prefix and not _is_unit_name(prefix):
        return None
    issuer = _squeeze_spaces(line.raw[match.start("prefix") : match.end("prefix")]) if prefix else ""
    return issuer, _iso_date(match), bool(match.group("imprint"))


def _squeeze_spaces(text):
    return _WHITESPACE_RE.sub(" ", text).strip()


def _iso_date(match):
    try:
        if match.group("year"):
            year, month, day = (int(match.group(name)) for name in ("year", "month", "day"))
        elif match.group("nyear"):
            year, month, day = (int(match.group(name)) for name in ("nyear", "nmonth", "nday"))
        else:
            year = int("".join(str(_CN_DIGIT_VALUE[char]) for char in match.group("cyear")))
            month = _small_chinese_number(match.group("cmonth"))
            day = _small_chinese_number(match.group("cday"))
        return datetime.date(year, month, day).isoformat()
    except (ValueError, KeyError):
        return None


def _small_chinese_number(text):
    if "十" not in text:
        return _CN_DIGIT_VALUE[text] if len(text) == 1 else -1
    tens, _, ones = text.partition("十")
    return (_CN_DIGIT_VALUE[tens] if tens else 1) * 10 + (_CN_DIGIT_VALUE[ones] if ones else 0)


def _read_trailer(lines, body_start, letter):
    """Walk back from the end over sign-off lines; fill their fields. Returns the trailer start."""
    index = len(lines) - 1
    roles = []
    while index >= body_start:
        # A wrapped copy list can end with a bare unit name: test for it before the issuer.
        role = "copies" if _continues_copies(lines, index, body_start) else _trailer_role(lines[index])
        if role is None and roles and roles[-1] == "date" and _could_be_issuer(lines[index]):
            role = "issuer"
        if role is None:
            break
        roles.append(role)
        index -= 1
    start = index + 1
    roles.reverse()
    trailer = lines[start:]
    letter.trailer_lines = [(role, line.raw) for role, line in zip(roles, trailer, strict=True)]
    _apply_trailer(trailer, roles, letter)
    return start


def _could_be_issuer(line):
    # A numbered heading (一、关于…) just above the date is the body's last section, not a sign-off.
    if any(pattern.match(line.norm) for _rank, pattern in _HEADING_PATTERNS):
        return False
    return len(line.norm) <= 40 and not _NOT_IN_UNIT_RE.search(line.norm)


def _continues_copies(lines, index, body_start):
    """A list-like line that continues a 抄送 line printed just above it."""
    position = index
    while position >= body_start and _is_list_like(lines[position].norm):
        if position < index and _COPIES_RE.match(lines[position].norm):
            return True
        position -= 1
    return position >= body_start and position < index and bool(_COPIES_RE.match(lines[position].norm))


def _is_list_like(norm):
    if len(norm) > 120 or re.search(r"[。！？：]", norm[:-1]):
        return False
    parts = [part for part in _COPY_LIST_SEPARATOR_RE.split(norm.rstrip("。")) if part]
    return bool(parts) and all(2 <= len(part) <= 30 for part in parts)


def _apply_trailer(trailer, roles, letter):
    issuers = []
    contact_fields = []
    for line, role in zip(trailer, roles, strict=True):
        if role == "issuer":
            issuers.append(_squeeze_spaces(line.raw))
        elif role == "date":
            prefix, iso_date, is_imprint = _date_line(line)
            if is_imprint:
                continue
            if prefix:
                issuers.append(prefix)
            if letter.date is None:
                letter.date = iso_date
        elif role == "contact":
            raw, norm = _unbracket(line)
            contact_fields.extend(_scan_fields(raw, norm, _CONTACT_KEY_RE))
        elif role == "copies":
            letter.copied_to.extend(_copy_list(line))
        elif role == "mark":
            _apply_header_fields(_header_fields(line), letter)
            letter.result_class = letter.result_class or _class_mark(line)
        elif role == "review":
            letter.review_note = letter.review_note or line.raw
        elif role == "noise":
            letter.unparsed.append(line.raw)
    if issuers:
        letter.issuer = "、".join(issuers)
    if contact_fields:
        letter.contact = _contact_from_fields(contact_fields)


def _unbracket(line):
    raw, norm = line.raw, line.norm
    if norm[:1] in "（【" and norm[-1:] in "）】":
        return raw[1:-1], norm[1:-1]
    return raw, norm


def _contact_from_fields(fields):
    contact = Contact()
    for key, value in fields:
        attribute = _CONTACT_FIELD_OF_KEY.get(key)
        if attribute is None or not value or getattr(contact, attribute):
            continue
        if attribute in ("person", "unit"):
            value = _squeeze(value)
        setattr(contact, attribute, value)
    return contact


def _copy_list(line):
    match = _COPIES_RE.match(line.norm)
    start = match.end() if match else 0
    raw_list = line.raw[start:].strip().rstrip("。.")
    norm_list = line.norm[start:].strip().rstrip("。.")
    names = []
    position = 0
    for separator in _COPY_LIST_SEPARATOR_RE.finditer(norm_list):
        names.append(raw_list[position : separator.start()])
        position = separator.end()
    names.append(raw_list[position:])
    return [name.strip() for name in names if name.strip()]
