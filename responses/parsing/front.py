"""The front zone: header fields (类别 / 签发人 / 文号), the title and what the title says."""

import datetime

from .normalisation import _is_unit_name, _normalise, _number_match, _number_value, _squeeze
from .patterns import (
    _CLASS_LETTER_RE,
    _CLASS_MARK_RE,
    _DOCUMENT_NUMBER_RE,
    _HEADER_KEY_RE,
    _KIND_AFTER_NUMBER_RE,
    _NOISE_RE,
    _PAGE_DATE_RE,
    _QUOTED_RE,
    _SESSION_PREFIX_STRIP_RE,
    _SESSION_SUFFIX_STRIP_RE,
    _SIGNER_KEYS,
    _SOURCE_HINT_RE,
    _TITLE_END_RE,
    _TITLE_HINT_RE,
)

# ------------------------------------------------------------------ front zone


def _header_fields(line):
    """[(key, printed value)] when the line is a header line (类别：B　签发人：张三 / a 文号)."""
    norm = line.norm.lstrip("【[")
    offset = len(line.norm) - len(norm)
    fields = []
    number_match = _DOCUMENT_NUMBER_RE.match(norm)
    if number_match:
        fields.append(("文号", line.raw[offset : offset + number_match.end()].strip()))
        norm_rest_start = number_match.end()
    else:
        norm_rest_start = 0
    rest = norm[norm_rest_start:]
    rest_offset = offset + norm_rest_start + (len(rest) - len(rest.lstrip()))
    rest = rest.lstrip()
    if rest and not _HEADER_KEY_RE.match(rest):
        return []
    fields.extend(_scan_fields(line.raw[rest_offset:], rest, _HEADER_KEY_RE))
    return fields


def _scan_fields(raw, norm, key_re):
    """Split 'key：value key：value' text into [(key, printed value)] in order."""
    matches = list(key_re.finditer(norm))
    fields = []
    for position, match in enumerate(matches):
        end = matches[position + 1].start() if position + 1 < len(matches) else len(norm)
        value = raw[match.end() : end].strip().strip("，,；;。、】）)").strip()
        fields.append((_squeeze(match.group(1)), value))
    return fields


def _header_role(key):
    """The role a header field's key gives its line: signer, class, document_number or header."""
    if key in _SIGNER_KEYS:
        return "signer"
    if key.endswith("类别") or key == "办理结果":
        return "class"
    if key in ("文号", "发文字号"):
        return "document_number"
    return "header"


def _apply_header_fields(fields, letter, line):
    """Offer the header fields of one line (类别：B　签发人：张三) as candidates."""
    for key, value in fields:
        why = f"“{key}：”字段"
        if key.endswith("类别") or key == "办理结果":
            letter.offer("result_class", _class_letter(value), line.raw, why)
        elif key in _SIGNER_KEYS:
            letter.offer("signed_by", _squeeze(value), line.raw, why)
        elif key in ("文号", "发文字号"):
            letter.offer(
                "document_number", value, line.raw, "文号（某某〔2024〕12号）" if key == "文号" else why
            )


def _class_letter(value):
    """A–D from a class value (B, B类, A类（已解决）); None for a non-class value (类别：提案)."""
    match = _CLASS_LETTER_RE.search(_normalise(value))
    return match.group(0).upper() if match else None


def _class_mark(line):
    if len(line.norm) > 16:
        return None
    match = _CLASS_MARK_RE.fullmatch(line.norm)
    return match.group(1) if match else None


def _read_front(front, letter):
    """Classify the lines before the salutation: header fields, title lines, chrome."""
    roles, reasons = [], []
    previous_title_open = False
    for line in front:
        fields = _header_fields(line)
        role, why = "unparsed", "标题之前，未识别"
        if fields:
            _apply_header_fields(fields, letter, line)
            role = _header_role(fields[0][0])
            why = "版头字段 " + "、".join(f"“{key}：”" for key, _value in fields)
        elif _class_mark(line):
            letter.offer("result_class", _class_mark(line), line.raw, "办复类别标记（如：B类）")
            role, why = "class", "办复类别标记（如：B类）"
        elif _NOISE_RE.match(line.norm):
            _offer_page_hints(line, letter)
            role, why = "noise", "网页栏目（来源、发布时间、打印、关闭…）"
        elif _is_title_line(line, previous_title_open):
            role, why = "title", "标题用语（关于、提案、答复、…的函）或接续上一行标题"
        previous_title_open = role == "title" and not _TITLE_END_RE.search(line.norm)
        roles.append(role)
        reasons.append(why)

    title_indices = _choose_title(front, roles)
    for index in range(len(front)):
        if roles[index] == "title" and index not in title_indices:
            roles[index] = "title_repeat"
    letter.front_lines = [
        (_FRONT_ROLE_NAMES.get(role, role), line.raw, why)
        for role, line, why in zip(roles, front, reasons, strict=True)
    ]
    letter.title_lines = [front[index].raw for index in title_indices]
    letter.unparsed.extend(
        line.raw for role, line in zip(roles, front, strict=True) if role in ("noise", "unparsed")
    )
    _read_title_facts(letter)


_FRONT_ROLE_NAMES = {"noise": "furniture"}


def _offer_page_hints(line, letter):
    """A web page's 来源：某某局 hints at the issuer and its 发布时间 is shown, never chosen."""
    source = _SOURCE_HINT_RE.search(line.norm)
    if source and _is_unit_name(source.group("unit")):
        unit = line.raw[source.start("unit") : source.end("unit")]
        letter.offer("issuer", _squeeze(unit), line.raw, "网页“来源：”（仅作提示）", score=1)
    for match in _PAGE_DATE_RE.finditer(line.norm):
        try:
            day = datetime.date(int(match["y"]), int(match["m"]), int(match["d"]))
        except ValueError:
            continue
        letter.offer("date", day.isoformat(), line.raw, "网页发布时间，不是答复函的日期", score=0)


def _is_title_line(line, previous_title_open):
    norm = line.norm
    if "。" in norm or len(norm) > 60:
        return False
    if _TITLE_HINT_RE.search(norm):
        return True
    return previous_title_open and len(norm) <= 40


def _choose_title(front, roles):
    """Indices of the title lines; a repeated title (web page heading + letter) is kept once.

    Title lines are grouped, each group ending with a line that ends like a title (…的函,
    …的答复). With several groups the last one is the letter's own title.
    """
    groups = []
    current = []
    for index, role in enumerate(roles):
        if role != "title":
            continue
        current.append(index)
        if _TITLE_END_RE.search(front[index].norm):
            groups.append(current)
            current = []
    if current:
        if groups and not any(_number_match(front[index].norm) for index in current):
            groups[-1].extend(current)  # a trailing fragment belongs to the last title
        else:
            groups.append(current)
    return groups[-1] if groups else []


def _read_title_facts(letter):
    title_norm = "".join(_normalise(line) for line in letter.title_lines)
    title_raw = "".join(letter.title_lines)
    if not title_norm:
        return
    number_match = _number_match(title_norm)
    if number_match:
        letter.number = _number_value(title_norm, number_match)
        prefix_norm = title_norm[: number_match.start()]
        letter.session = _session_from_title_prefix(prefix_norm, title_raw)
    letter.kind = _kind_from_text(title_norm)
    unit = _unit_before_guanyu(title_norm, title_raw)
    letter.offer("issuer", unit, "".join(letter.title_lines), "标题中的发文单位（某某局关于…）", score=2)
    if letter.number:
        letter.offer("number", letter.number, "".join(letter.title_lines), "标题中的编号")


def _unit_before_guanyu(title_norm, title_raw):
    """The unit a title names as its author: 某某局 in "某某局关于…的答复函", else None."""
    position = title_norm.find("关于")
    if position < 2 or not _is_unit_name(title_norm[:position]):
        return None
    return _squeeze(title_raw[:position])


def _session_from_title_prefix(prefix_norm, title_raw):
    strip_match = _SESSION_PREFIX_STRIP_RE.match(prefix_norm)
    start = strip_match.end() if strip_match and ("关于" in prefix_norm or "对" in prefix_norm) else 0
    candidate_norm = prefix_norm[start:]
    suffix = _SESSION_SUFFIX_STRIP_RE.search(candidate_norm)
    end = start + (suffix.start() if suffix else len(candidate_norm))
    session_norm = prefix_norm[start:end]
    if "会议" not in session_norm and "届" not in session_norm:
        return None
    return _squeeze(title_raw[start:end]) or None


def _kind_from_text(norm):
    """'proposal' or 'suggestion' from the letter's own words (quoted proposal titles masked)."""
    unquoted = _QUOTED_RE.sub("", norm)
    after_number = _KIND_AFTER_NUMBER_RE.search(unquoted)
    if after_number:
        return "proposal" if after_number.group(1) == "提案" else "suggestion"
    if "提案" in unquoted:
        return "proposal"
    if "建议" in unquoted:
        return "suggestion"
    return None
