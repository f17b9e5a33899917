"""Lines as printed and as matched: each line's normalised twin, of the same length."""

from .patterns import _WHITESPACE_RE

# --------------------------------------------------------------------------- normalisation


def _build_normalisation_table():
    table = {}
    for offset in range(10):
        table[0xFF10 + offset] = ord("0") + offset
    for offset in range(26):
        table[0xFF21 + offset] = ord("A") + offset
        table[0xFF41 + offset] = ord("a") + offset
    ascii_to_chinese = {":": "：", "(": "（", ")": "）", ",": "，", ";": "；", "!": "！", "?": "？"}
    for ascii_char, chinese_char in ascii_to_chinese.items():
        table[ord(ascii_char)] = chinese_char
    others = {"．": ".", "－": "-", "／": "/", "［": "[", "］": "]", "\u3000": " ", "\xa0": " ", "\t": " "}
    for source, target in others.items():
        table[ord(source)] = target
    return table


_NORMALISE = _build_normalisation_table()

# Characters str.strip() does not treat as whitespace but that copy-paste leaves around lines.
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"

# A CJK (or other wide) character takes two columns; used to spot hard-wrapped lines.
_WIDE_FROM = 0x2E80


class _Line:
    """One non-empty printed line, with its normalised twin of the same length."""

    __slots__ = ("raw", "norm")

    def __init__(self, raw):
        self.raw = raw
        self.norm = raw.translate(_NORMALISE)

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
