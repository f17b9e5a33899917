"""The salutation (张三委员：) and, without one, where the body starts."""

from .body import _heading_match
from .front import _header_fields
from .normalisation import _normalise, _squeeze
from .patterns import (
    _NAME_ET_AL_RE,
    _NAME_SEPARATOR_RE,
    _OPENING_HINT_RE,
    _ORGANISATION_SALUTATION_RE,
    _SALUTATION_NAME_STOP_RE,
    _SALUTATION_RE,
)
from .trailer import _trailer_role

# ------------------------------------------------------------------ salutation


def _salutation_match(norm):
    if len(norm) > 400:
        norm = norm[:400]
    match = _SALUTATION_RE.match(norm)
    if not match or _SALUTATION_NAME_STOP_RE.search(match.group("names")):
        return None
    return match


def _find_salutation(lines, letter):
    """Find the salutation line before the first section heading; fill the salutation fields.

    Returns its index, or None. A salutation followed by text on the same line (web copies) is
    split: the text becomes the first opening paragraph.
    """
    for index, line in enumerate(lines):
        if _heading_match(line.norm):
            break
        match = _salutation_match(line.norm)
        if match and not match.group(0).endswith("：") and not _opens_without_colon(lines, index):
            match = None
        if match:
            names_raw = line.raw[match.start("names") : match.end("names")]
            letter.addressees = _split_names(names_raw)
            letter.addressee_title = match.group("title")
            rest = line.raw[match.end() :].strip()
            letter.salutation = line.raw[: match.end()].rstrip() if rest else line.raw
            if rest:
                letter.salutation_inline = True
                letter.opening = [rest]
            return index
        if _is_organisation_salutation(lines, index):
            name = _ORGANISATION_SALUTATION_RE.match(line.norm).group("name")
            start = line.norm.index(name)
            letter.addressees = [_squeeze(line.raw[start : start + len(name)])]
            letter.salutation = line.raw
            return index
    return None


def _opens_without_colon(lines, index):
    """A salutation printed without its colon: 尊敬的… or an opening paragraph right below."""
    if lines[index].norm.startswith("尊敬的"):
        return True
    following = lines[index + 1] if index + 1 < len(lines) else None
    return following is not None and bool(_OPENING_HINT_RE.search(following.norm))


def _is_organisation_salutation(lines, index):
    """A short 'name：' line (民盟市委会：) right before an opening paragraph."""
    line = lines[index]
    if len(line.norm) > 32 or not _ORGANISATION_SALUTATION_RE.match(line.norm):
        return False
    if _SALUTATION_NAME_STOP_RE.search(line.norm) or _header_fields(line) or _trailer_role(line):
        return False
    if "如下" in line.norm or "以下" in line.norm:
        return False
    following = lines[index + 1] if index + 1 < len(lines) else None
    return following is not None and bool(_OPENING_HINT_RE.search(following.norm))


def _split_names(names_raw):
    names_raw = _NAME_ET_AL_RE.sub("", _normalise(names_raw).strip())
    names = []
    for part in _NAME_SEPARATOR_RE.split(names_raw):
        name = _squeeze(part)
        if name:
            names.append(name)
    return names


def _find_body_start(lines):
    """Without a salutation, the body starts at the first opening-like, heading or prose line."""
    for index, line in enumerate(lines):
        if _heading_match(line.norm) or _OPENING_HINT_RE.search(line.norm):
            return index
        if "。" in line.norm and len(line.norm) > 40:
            return index
    return len(lines)
