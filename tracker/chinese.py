"""Small helpers for the way Chinese official documents write numbers and dates."""

import unicodedata

from django.utils.formats import date_format

_DIGITS = "零一二三四五六七八九"


def chinese_numeral(number):
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 35 → 三十五 (enough for terms, sessions and sections)."""
    if not 0 < number < 100:
        raise ValueError(f"chinese_numeral handles 1–99, not {number}")
    tens, units = divmod(number, 10)
    text = ""
    if tens:
        text = ("" if tens == 1 else _DIGITS[tens]) + "十"
    if units:
        text += _DIGITS[units]
    return text


def section_label(position):
    """The printed label of a top-level section: 1 → 一、"""
    return f"{chinese_numeral(position)}、"


def subsection_label(position):
    """The printed label of a sub-section: 1 → （一）"""
    return f"（{chinese_numeral(position)}）"


def format_day(day):
    """A date as letters and notices write it: 2025年6月3日."""
    return date_format(day, "Y年n月j日")


def fold_title(text):
    """A title reduced to what tells two titles apart: width variants folded (NFKC), spaces,
    punctuation and symbols dropped. 《关于 发展 数字经济的建议》 and 关于发展数字经济的建议。 fold alike."""
    folded = unicodedata.normalize("NFKC", text or "")
    return "".join(char for char in folded if unicodedata.category(char)[0] not in "PSZC")
