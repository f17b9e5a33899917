"""Hard-wrapped (PDF) text, re-joined into paragraphs before anything else is read."""

from .body import _heading_match
from .front import _header_fields
from .normalisation import _display_width, _Line
from .patterns import _SENTENCE_TERMINALS, _WRAP_MAX_WIDTH, _WRAP_MIN_WIDTH, _WRAP_SLACK
from .salutation import _salutation_match
from .trailer import _trailer_role

# ------------------------------------------------------------------ hard-wrapped (PDF) text


def _join_hard_wrapped(lines):
    """Re-join paragraphs that a PDF copy broke at a fixed width.

    Only when at least three prose lines stop within a couple of characters of the same width
    without ending a sentence; web and Word copies have one line per paragraph and never do.
    """
    widths = [_display_width(line.raw) for line in lines]
    unterminated = sum(
        1
        for line, width in zip(lines, widths, strict=True)
        if _WRAP_MIN_WIDTH - _WRAP_SLACK <= width <= _WRAP_MAX_WIDTH and not _ends_sentence(line.norm)
    )
    if unterminated < 3:  # the common case, decided without the costlier prose test
        return lines
    prose = [_is_prose(line) for line in lines]
    prose_widths = sorted(
        (width for width, is_prose in zip(widths, prose, strict=True) if is_prose), reverse=True
    )
    if len(prose_widths) < 3:
        return lines
    full_width = prose_widths[2]
    if not _WRAP_MIN_WIDTH <= full_width <= _WRAP_MAX_WIDTH:
        return lines
    wrapped = sum(
        1
        for index, line in enumerate(lines[:-1])
        if prose[index] and widths[index] >= full_width - _WRAP_SLACK and not _ends_sentence(line.norm)
    )
    if wrapped < 3 or wrapped * 4 < len(prose_widths):
        return lines

    # Each paragraph is gathered as a list of its lines and made a _Line once: re-joining the
    # growing paragraph at every line would make a long paragraph cost the square of its length.
    paragraphs = []
    continues = False
    for index, line in enumerate(lines):
        if continues and not _starts_new_block(line):
            paragraphs[-1].append(line)
        else:
            paragraphs.append([line])
        continues = (
            (prose[index] or continues)
            and widths[index] >= full_width - _WRAP_SLACK
            and not _ends_sentence(line.norm)
        )
    return [
        parts[0] if len(parts) == 1 else _Line("".join(part.raw for part in parts)) for parts in paragraphs
    ]


def _is_prose(line):
    return not (_heading_match(line.norm) or _header_fields(line) or _trailer_role(line))


def _starts_new_block(line):
    return bool(_heading_match(line.norm) or _salutation_match(line.norm) or _trailer_role(line))


def _ends_sentence(norm):
    if not norm:
        return True
    last = norm[-1]
    if last in "”’" and len(norm) > 1:
        last = norm[-2]
    return last in _SENTENCE_TERMINALS
