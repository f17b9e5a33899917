"""The trailer zone: sign-off unit, date, signer, review note, contact block, copies, marks.

The trailer is the run of lines at the end of the letter whose roles (see `roles.classify`) are
sign-off roles, in any order: real letters put the contact block before or after the signature
and date, and 签发人 or 抄送 at the very end. Up to two short lines no cue recognises may sit
inside it (they are kept as unrecognised); at its top they are given back to the body. Each line
offers candidates for the fields it carries; `_choose_fields` (parse.py) takes the best.
"""

import re

from .dates import _date_line, _squeeze_spaces
from .front import _apply_header_fields, _class_mark, _header_fields, _scan_fields
from .normalisation import _normalise, _squeeze
from .patterns import (
    _COMBINED_CONTACT_KEY_RE,
    _CONTACT_FIELD_OF_KEY,
    _CONTACT_KEY_RE,
    _COPIES_RE,
    _COPY_LIST_SEPARATOR_RE,
    _HEADING_PATTERNS,
    _NOT_IN_UNIT_RE,
    _PHONE_RE,
    _UNIT_SUFFIXES,
)
from .roles import TRAILER_ROLES, Verdict, classify

# ------------------------------------------------------------------ trailer zone

_MAX_UNKNOWN_RUN = 2  # unrecognised short lines tolerated in a row inside the trailer
_MAX_COPY_LIST_LINES = 20  # how far a wrapped 抄送 list is followed upwards
_HEADER_ROLES = frozenset({"signer", "class", "document_number", "header"})


def _trailer_role(line):
    """The line's sign-off role (date, contact, copies, signer, class, issuer, …), or None."""
    role = classify(line).role
    return role if role in TRAILER_ROLES else None


def _read_trailer(lines, body_start, letter):
    """Walk back from the end over sign-off lines; offer their fields. Returns the trailer start."""
    index = len(lines) - 1
    verdicts = []
    unknown_run = 0
    while index >= body_start:
        line = lines[index]
        verdict = classify(line)
        # A wrapped copy list can end with a bare unit name: test for it before the issuer (but
        # page furniture such as 【打印】【关闭】 under the list is furniture).
        if verdict.role in (None, "issuer") and _continues_copies(lines, index, body_start):
            verdict = Verdict("copies", 2, ("接续上方的抄送名单",))
        if verdict.role in TRAILER_ROLES:
            unknown_run = 0
        elif verdict.role is None and verdicts and verdicts[-1].role == "date" and _could_be_issuer(line):
            verdict = Verdict("issuer", 1, ("紧接在日期之上的短行",))
            unknown_run = 0
        elif verdict.role is None and unknown_run < _MAX_UNKNOWN_RUN and _is_short_fragment(line):
            verdict = Verdict("unparsed", 0, ("落款区中的短行，未识别",))
            unknown_run += 1
        else:
            break
        verdicts.append(verdict)
        index -= 1
    while verdicts and verdicts[-1].role == "unparsed":  # the body's last short lines
        verdicts.pop()
        index += 1
    start = index + 1
    verdicts.reverse()
    trailer = lines[start:]
    letter.trailer_lines = [
        (verdict.role, line.raw, "；".join(verdict.why))
        for verdict, line in zip(verdicts, trailer, strict=True)
    ]
    _apply_trailer(trailer, [verdict.role for verdict in verdicts], letter)
    return start


def _is_short_fragment(line):
    return len(line.norm) <= 30 and not re.search(r"[。！？]", line.norm)


def _could_be_issuer(line):
    # A numbered heading (一、关于…) just above the date is the body's last section, not a sign-off.
    if any(pattern.match(line.norm) for _rank, pattern in _HEADING_PATTERNS):
        return False
    return len(line.norm) <= 40 and not _NOT_IN_UNIT_RE.search(line.norm)


def _continues_copies(lines, index, body_start):
    """A list-like line that continues a 抄送 line printed just above it."""
    position = index
    stop = max(body_start, index - _MAX_COPY_LIST_LINES)
    while position >= stop and _is_list_like(lines[position].norm):
        if position < index and _COPIES_RE.match(lines[position].norm):
            return True
        position -= 1
    return position >= stop and position < index and bool(_COPIES_RE.match(lines[position].norm))


def _is_list_like(norm):
    if len(norm) > 120 or re.search(r"[。！？：]", norm[:-1]):
        return False
    parts = [part for part in _COPY_LIST_SEPARATOR_RE.split(norm.rstrip("。")) if part]
    return bool(parts) and all(2 <= len(part) <= 30 for part in parts)


def _apply_trailer(trailer, roles, letter):
    issuers = []
    contact_lines = []
    for position, (line, role) in enumerate(zip(trailer, roles, strict=True)):
        if role == "issuer":
            issuers.append(line)
        elif role == "date":
            prefix, iso_date, is_imprint = _date_line(line)
            if prefix and not is_imprint:
                issuers.append(line)
            if is_imprint:
                letter.offer("date", iso_date, line.raw, "印发日期，不是答复日期", score=1)
            elif prefix or _next_to_issuer(roles, position):
                letter.offer("date", iso_date, line.raw, "落款日期（紧挨落款单位）", score=4)
            else:
                letter.offer("date", iso_date, line.raw, "落款区中的日期")
        elif role == "contact":
            contact_lines.append(line)
        elif role == "copies":
            letter.copied_to.extend(_copy_list(line))
        elif role in _HEADER_ROLES:
            _apply_header_fields(_header_fields(line), letter, line)
            mark = _class_mark(line)
            if mark:
                letter.offer("result_class", mark, line.raw, "办复类别标记（如：B类）")
        elif role == "review":
            letter.review_note = letter.review_note or line.raw
        elif role in ("furniture", "unparsed"):
            letter.unparsed.append(line.raw)
    if issuers:
        names = [_issuer_name(line) for line in issuers]
        letter.offer("issuer", "、".join(names), issuers[0].raw, "落款单位", score=4)
    for line in contact_lines:
        _offer_contact(line, letter)


def _next_to_issuer(roles, position):
    """The date of the sign-off: right under or over the unit's name (a seal may stand between)."""
    for step in (-1, 1):
        neighbour = position + step
        while 0 <= neighbour < len(roles) and roles[neighbour] == "seal":
            neighbour += step
        if 0 <= neighbour < len(roles) and roles[neighbour] == "issuer":
            return True
    return False


def _issuer_name(line):
    date = _date_line(line)
    return date[0] if date else _squeeze_spaces(line.raw)


def _unbracket(line):
    raw, norm = line.raw, line.norm
    if norm[:1] in "（【" and norm[-1:] in "）】":
        return raw[1:-1], norm[1:-1]
    return raw, norm


_CONTACT_WHY = {
    "unit": "联系单位",
    "person": "联系人",
    "phone": "联系电话",
    "postcode": "邮政编码",
}


def _offer_contact(line, letter):
    """Offer the unit, person, phone and postcode a contact line gives, whatever its shape."""
    raw, norm = _unbracket(line)
    fields = _scan_fields(raw, norm, _CONTACT_KEY_RE)
    if not fields:  # no label at all: 某某局 张三 65220315
        fields = [("", raw.strip())]
    for key, value in fields:
        if not value:
            continue
        if not key or _COMBINED_CONTACT_KEY_RE.fullmatch(key):
            for attribute, part in _split_combined(value).items():
                letter.offer(
                    f"contact_{attribute}",
                    part,
                    line.raw,
                    f"“{key or '联系方式'}”中的{_CONTACT_WHY[attribute]}",
                )
            continue
        attribute = _CONTACT_FIELD_OF_KEY.get(key)
        if attribute is None:
            continue
        if attribute == "person":
            value, unit = _person_and_unit(value)
            letter.offer("contact_unit", unit, line.raw, f"“{key}：”后括号中的单位", score=2)
        elif attribute == "unit":
            value = _squeeze(value)
        # 承办人 / 经办人 stand in for the contact person only when no 联系人 is given.
        score = 2 if key in ("承办人", "经办人") else 3
        letter.offer(f"contact_{attribute}", value, line.raw, f"“{key}：”字段", score=score)


def _person_and_unit(value):
    """(person, unit or None) from 王芳（省交通运输厅规划处）: a unit in brackets after the name."""
    bracket = re.match(r"\s*([^（(]+?)\s*[（(]\s*([^）)]*?)\s*[）)]?\s*$", value)
    if not bracket:
        return _squeeze(value), None
    name, inside = _squeeze(bracket.group(1)), _squeeze(bracket.group(2))
    return name, (inside if inside.endswith(_UNIT_SUFFIXES) else None)


def _split_combined(value):
    """{unit, person, phone} from one value: 某某局 张三 65220315 / 张三，13500000000."""
    parts = {}
    rest = value
    phone = _PHONE_RE.search(_normalise(value))
    if phone:
        parts["phone"] = value[phone.start() : phone.end()].strip()
        rest = value[: phone.start()]
    words = [word for word in re.split(r"[\s，、；,;]+", rest.strip()) if word]
    if not words:
        return parts
    if len(words) == 1 and words[0].endswith(_UNIT_SUFFIXES) and len(words[0]) > 4:
        parts["unit"] = words[0]
    elif len(words) >= 2 and all(len(word) == 1 for word in words):
        parts["person"] = "".join(words)  # a letter-spaced name: 张 雷
    else:
        parts["person"] = words[-1]
        if len(words) > 1:
            parts["unit"] = "".join(words[:-1])
    return parts


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
