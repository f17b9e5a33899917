"""Lines as printed and as matched: each line's normalised twin, of the same length."""

import re
import unicodedata

from .patterns import _BARE_NUMBER_RE, _NOT_IN_UNIT_RE, _NUMBER_RE, _UNIT_SUFFIXES, _WHITESPACE_RE

# --------------------------------------------------------------------------- normalisation


def _build_normalisation_table():
    """One character to one character: NFKC's width folding, then ASCII punctuation to Chinese.

    NFKC folds full-width digits and letters, the ideographic space, half-width forms and the
    Kangxi radicals PDFs print (⼀ → 一). Foldings to several characters (… → ...) are left out so
    that a normalised line keeps its printed line's length, and so are the circled and enclosed
    numbers (① stays ①: it is a section label, not the digit 1).
    """
    ascii_to_chinese = {":": "：", "(": "（", ")": "）", ",": "，", ";": "；", "!": "！", "?": "？"}
    table = {}
    for start, end in _FOLDED_RANGES:
        for code in range(start, end):
            char = chr(code)
            folded = unicodedata.normalize("NFKC", char)
            if len(folded) == 1 and folded != char and not _is_enclosed(code):
                table[code] = ascii_to_chinese.get(folded, folded)
    for ascii_char, chinese_char in ascii_to_chinese.items():
        table[ord(ascii_char)] = chinese_char
    for source in "\t\xa0\u3000":
        table[ord(source)] = " "
    return table


# Latin-1, general punctuation to the Kangxi radicals, CJK punctuation, and the compatibility and
# half/full-width forms: where width variants live. (The rest of the BMP folds nothing we match.)
_FOLDED_RANGES = ((0x00A0, 0x0100), (0x2000, 0x2FE0), (0x3000, 0x3040), (0xF900, 0xFB00), (0xFE10, 0xFFF0))


def _is_enclosed(code):
    return 0x2460 <= code <= 0x24FF or 0x2776 <= code <= 0x2793 or 0x3200 <= code <= 0x32FF


_NORMALISE = _build_normalisation_table()

# Characters str.strip() does not treat as whitespace but that copy-paste leaves around lines.
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"

# A CJK (or other wide) character takes two columns; used to spot hard-wrapped lines.
_WIDE_FROM = 0x2E80


# An ASCII full stop after a Chinese character (web copies: "更换.下一步") ends a sentence; after a
# digit or a Latin letter it stays a decimal point or part of an address (1.2万, 第6.11号, gov.cn).
_ASCII_FULL_STOP_RE = re.compile(r"(?<=[\u3400-\u9fff）》”])\.(?!\d)")


def _normalise(text):
    """The matching form of a printed text, of the same length (see _build_normalisation_table)."""
    folded = text.translate(_NORMALISE)
    return _ASCII_FULL_STOP_RE.sub("。", folded) if "." in folded else folded


class _Line:
    """One non-empty printed line, with its normalised twin of the same length."""

    __slots__ = ("raw", "norm")

    def __init__(self, raw):
        self.raw = raw
        self.norm = _normalise(raw)

    def __repr__(self):
        return f"_Line({self.raw!r})"


def _clean(line):
    return line.strip().strip(_INVISIBLE).strip()


def _split_lines(text):
    lines = []
    for physical_line in text.splitlines():
        cleaned = _clean(physical_line)
        if cleaned:
            lines.append(_Line(cleaned))
    return lines


def _display_width(text):
    return sum(2 if ord(char) >= _WIDE_FROM else 1 for char in text)


def _squeeze(text):
    """Remove all whitespace: names and units are printed with spaces for alignment (张  三)."""
    return _WHITESPACE_RE.sub("", text)


def _is_unit_name(norm):
    """A short line ending like a unit's name (…局, …委员会, …人民政府), without sentence punctuation."""
    name = norm.strip()
    if not 2 <= len(name) <= 40 or _NOT_IN_UNIT_RE.search(name):
        return False
    return name.endswith(_UNIT_SUFFIXES)


def _number_match(norm):
    """The proposal number's match in normalised text: 第27号, else 27号提案 / 27号建议."""
    return _NUMBER_RE.search(norm) or _BARE_NUMBER_RE.search(norm)


def _number_value(norm, match):
    """The number as an identifier: from the normalised text (１２ → 12), spaces removed."""
    return _squeeze(norm[match.start("number") : match.end("number")])
