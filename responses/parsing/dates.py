"""Date lines (2023年10月16日, 二〇二三年十月十六日, 2023-10-16), with a unit printed before them."""

import datetime

from .normalisation import _is_unit_name
from .patterns import _CN_DIGIT_VALUE, _DATE_LINE_RE, _WHITESPACE_RE


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
