"""The front zone: header fields (类别 / 签发人 / 文号), the title and what the title says."""

from .normalisation import _NORMALISE, _squeeze
from .patterns import (
    _CLASS_LETTER_RE,
    _CLASS_MARK_RE,
    _DOCUMENT_NUMBER_RE,
    _HEADER_KEY_RE,
    _KIND_AFTER_NUMBER_RE,
    _NOISE_RE,
    _NUMBER_RE,
    _QUOTED_RE,
    _SESSION_PREFIX_STRIP_RE,
    _SESSION_SUFFIX_STRIP_RE,
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
        fields.append((match.group(1), value))
    return fields


def _apply_header_fields(fields, letter):
    for key, value in fields:
        if key.endswith("类别") or key == "办理结果":
            letter.result_class = letter.result_class or _class_letter(value)
        elif key == "签发人":
            letter.signed_by = letter.signed_by or (_squeeze(value) or None)
        elif key in ("文号", "发文字号"):
            letter.document_number = letter.document_number or (value or None)


def _class_letter(value):
    match = _CLASS_LETTER_RE.search(value.translate(_NORMALISE))
    return match.group(0).upper() if match else None


def _class_mark(line):
    if len(line.norm) > 16:
        return None
    match = _CLASS_MARK_RE.fullmatch(line.norm)
    return match.group(1) if match else None


def _read_front(front, letter):
    """Classify the lines before the salutation: header fields, title lines, chrome."""
    roles = []
    previous_title_open = False
    for line in front:
        fields = _header_fields(line)
        if fields:
            _apply_header_fields(fields, letter)
            roles.append("header")
            previous_title_open = False
        elif _class_mark(line):
            letter.result_class = letter.result_class or _class_mark(line)
            roles.append("header")
            previous_title_open = False
        elif _NOISE_RE.match(line.norm):
            roles.append("noise")
            previous_title_open = False
        elif _is_title_line(line, previous_title_open):
            roles.append("title")
            previous_title_open = not _TITLE_END_RE.search(line.norm)
        else:
            roles.append("unparsed")
            previous_title_open = False

    title_indices = _choose_title(front, roles)
    for index in range(len(front)):
        if roles[index] == "title" and index not in title_indices:
            roles[index] = "title_repeat"
    letter.front_lines = [(role, line.raw) for role, line in zip(roles, front, strict=True)]
    letter.title_lines = [front[index].raw for index in title_indices]
    letter.unparsed.extend(
        line.raw for role, line in zip(roles, front, strict=True) if role in ("noise", "unparsed")
    )
    _read_title_facts(letter)


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
        if groups and not any(_NUMBER_RE.search(front[index].norm) for index in current):
            groups[-1].extend(current)  # a trailing fragment belongs to the last title
        else:
            groups.append(current)
    return groups[-1] if groups else []


def _read_title_facts(letter):
    title_norm = "".join(line.translate(_NORMALISE) for line in letter.title_lines)
    title_raw = "".join(letter.title_lines)
    if not title_norm:
        return
    number_match = _NUMBER_RE.search(title_norm)
    if number_match:
        letter.number = _squeeze(title_raw[number_match.start("number") : number_match.end("number")])
        prefix_norm = title_norm[: number_match.start()]
        letter.session = _session_from_title_prefix(prefix_norm, title_raw)
    letter.kind = _kind_from_text(title_norm)


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
