"""The entry points, the parse that cuts the letter into zones, and the verdict on what was found."""

from .body import _find_closing_start, _read_body
from .front import _read_front
from .normalisation import _Line, _normalise, _split_lines
from .opening import _read_opening_facts, _resolve_self_reference
from .patterns import (
    _EMPTY_INPUT,
    _MISSING_MESSAGES,
    _NOT_A_LETTER,
    _OPENING_HINT_RE,
    _PAGE_NUMBER_RE,
    _TITLE_HINT_RE,
)
from .results import Contact, ParsedLetter
from .salutation import _find_body_start, _find_salutation
from .trailer import _read_trailer
from .wrapping import _join_hard_wrapped

# --------------------------------------------------------------------------- entry points


def parse_letter(text):
    """Parse the plain text of a reply letter. Never raises; see the module docstring."""
    if not isinstance(text, str):
        text = text.decode("utf-8", "replace") if isinstance(text, bytes | bytearray) else ""
    try:
        return _parse(text)
    except Exception as error:  # noqa: BLE001 - the promise is "never raises"; report instead
        letter = ParsedLetter()
        try:
            letter.unparsed = [line.raw for line in _split_lines(text)]
        except Exception:  # noqa: BLE001
            letter.unparsed = []
        letter.missing = [f"解析出错（{type(error).__name__}），全文列为未识别内容"]
        return letter


def render_lines(parsed):
    """Rebuild the letter's non-empty lines, in printed order, from a ParsedLetter.

    Unrecognised lines come back where they stood in the front and trailer zones. Lines that the
    parser re-joined (hard-wrapped PDF text) come back joined.
    """
    if not parsed.is_letter:
        return list(parsed.unparsed)
    lines = [entry[1] for entry in parsed.front_lines] or list(parsed.title_lines)
    opening = list(parsed.opening)
    if parsed.salutation:
        if parsed.salutation_inline and opening:
            lines.append(parsed.salutation + opening.pop(0))
        else:
            lines.append(parsed.salutation)
    lines.extend(opening)
    for item in parsed.items:
        lines.extend(_render_item(item))
    lines.extend(parsed.closing_paragraphs)
    lines.extend(entry[1] for entry in parsed.trailer_lines)
    return lines


def _render_item(item):
    lines = []
    paragraphs = list(item.paragraphs)
    if item.number or item.heading:
        heading_line = (item.printed_label or item.number) + item.heading + item.heading_end
        if item.run_in and paragraphs:
            heading_line += paragraphs.pop(0)
        lines.append(heading_line)
    lines.extend(paragraphs)
    for child in item.children:
        lines.extend(_render_item(child))
    return lines


# Limits on what an import reads (stated on the import form). Real reply letters run to a few
# thousand characters; the longest seen, about 20,000.
LETTER_MAX_CHARS = 100_000
DOCX_MAX_BYTES = 5 * 1024 * 1024
DOCX_MAX_UNPACKED_BYTES = 30 * 1024 * 1024
MEGABYTE = 1024 * 1024  # a zip bomb is refused before it is unpacked


class LetterTooLarge(ValueError):
    """The letter is past LETTER_MAX_CHARS, or its .docx past the size limits (message in Chinese).

    `limit` names the limit passed: "unpacked" (DOCX_MAX_UNPACKED_BYTES) or "chars" (LETTER_MAX_CHARS).
    """

    def __init__(self, message, limit):
        super().__init__(message)
        self.limit = limit


def read_docx_text(file):
    """Return the text of a .docx (a path or a binary file object): one line per paragraph.

    Tables are read in place, one line per row with the cells separated by two spaces, because
    some offices lay the header (类别 / 签发人 / 文号) out in a table. Raises LetterTooLarge when
    the file unpacks past DOCX_MAX_UNPACKED_BYTES or holds more than LETTER_MAX_CHARS characters,
    and ValueError with a bilingual message when it is not a readable Word document.
    """
    import docx  # imported here: only Word uploads need python-docx

    _check_unpacked_size(file)
    try:
        document = docx.Document(file)
    except Exception as error:  # python-docx raises several unrelated types for a bad file
        raise ValueError(f"无法读取 Word 文件 / Cannot read the .docx file: {error}") from error
    lines = []
    length = 0
    for block in document.iter_inner_content():
        if hasattr(block, "rows"):
            for row in block.rows:
                seen_cells = []
                for cell in row.cells:
                    if cell._tc not in seen_cells:  # merged cells repeat
                        seen_cells.append(cell._tc)
                lines.append("  ".join(_cell_text(cell) for cell in seen_cells))
        else:
            lines.append(block.text)
        length += len(lines[-1]) + 1
        if length > LETTER_MAX_CHARS + 1:
            raise LetterTooLarge(
                f"Word 文件中的文字超过 {LETTER_MAX_CHARS:,} 字，不像一封答复函；请只上传答复函本身。",
                limit="chars",
            )
    return "\n".join(lines)


def _check_unpacked_size(file):
    """LetterTooLarge when the .docx (a zip) would unpack past DOCX_MAX_UNPACKED_BYTES."""
    import zipfile

    try:
        with zipfile.ZipFile(file) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise ValueError(f"无法读取 Word 文件 / Cannot read the .docx file: {error}") from error
    finally:
        if hasattr(file, "seek"):
            file.seek(0)
    if unpacked > DOCX_MAX_UNPACKED_BYTES:
        raise LetterTooLarge(
            f"Word 文件解压后超过 {DOCX_MAX_UNPACKED_BYTES // MEGABYTE} MB，不像一封答复函；"
            "请只上传答复函本身，或复制全文粘贴。",
            limit="unpacked",
        )


def _cell_text(cell_element):
    from docx.table import _Cell

    return _Cell(cell_element, None).text


# --------------------------------------------------------------------------- the parse


def _parse(text):
    lines = _split_lines(text)
    letter = ParsedLetter()
    if not lines:
        letter.missing = [_EMPTY_INPUT]
        return letter
    page_numbers = [line.raw for line in lines if _PAGE_NUMBER_RE.match(line.norm)]
    if page_numbers:  # PDF page footers (— 2 —) fall anywhere, even inside a paragraph
        lines = [line for line in lines if not _PAGE_NUMBER_RE.match(line.norm)]
    lines = _join_hard_wrapped(lines)

    salutation_index = _find_salutation(lines, letter)
    if salutation_index is None:
        body_start = _find_body_start(lines)
        front = lines[:body_start]
    else:
        front = lines[:salutation_index]
        body_start = salutation_index + 1
        if letter.salutation_inline:
            lines = lines[:body_start] + [_Line(letter.opening.pop())] + lines[body_start:]

    _read_front(front, letter)
    trailer_start = _read_trailer(lines, body_start, letter)
    closing_start = _find_closing_start(lines, body_start, trailer_start)
    letter.closing_paragraphs = [line.raw for line in lines[closing_start:trailer_start]]
    _read_body(lines[body_start:closing_start], letter)

    _read_opening_facts(letter)
    _choose_fields(letter)
    letter.kind = letter.kind or _kind_from_context(letter)
    _resolve_self_reference(letter)
    letter.is_letter = _looks_like_letter(letter)
    if not letter.is_letter:
        return ParsedLetter(unparsed=[line.raw for line in lines] + page_numbers, missing=[_NOT_A_LETTER])
    letter.missing = _missing_parts(letter)
    letter.unparsed.extend(page_numbers)
    return letter


# ------------------------------------------------------------------ fields from candidates


def _choose_fields(letter):
    """Each candidate field takes its best-scoring candidate (see ParsedLetter.best)."""
    for name in ("number", "result_class", "document_number", "signed_by", "issuer", "date"):
        best = letter.best(name)
        setattr(letter, name, best.value if best else None)
    contact = Contact()
    for attribute in ("unit", "person", "phone", "postcode"):
        best = letter.best(f"contact_{attribute}")
        setattr(contact, attribute, best.value if best else None)
    letter.contact = contact if any(contact.to_dict().values()) else None


def _kind_from_context(letter):
    """Proposal or suggestion when the title and opening do not say 提案 / 建议 outright.

    The session names the body (政协 → proposal, 人大 → suggestion); then a proposal title ending
    in 提案 (proposals are often titled "关于…的建议" themselves, so 建议 alone does not tell); then
    a title ending in 建议 sent to a 代表. 代表 alone never decides: the seed letter calls its CPPCC
    proposer 代表.
    """
    session = letter.session or ""
    if "政协" in session:
        return "proposal"
    if "人大" in session:
        return "suggestion"
    title = letter.proposal_title or ""
    if title.endswith("提案"):
        return "proposal"
    if title.endswith("建议") and letter.addressee_title == "代表":
        return "suggestion"
    return None


# ------------------------------------------------------------------ verdict


def _looks_like_letter(letter):
    title_says_so = any(_TITLE_HINT_RE.search(_normalise(line)) for line in letter.title_lines)
    opening_says_so = any(_OPENING_HINT_RE.search(_normalise(line)) for line in letter.opening)
    return bool(title_says_so or letter.salutation or opening_says_so)


def _missing_parts(letter):
    present = {
        "title": letter.title_lines,
        "salutation": letter.salutation,
        "number": letter.number,
        "session": letter.session,
        "proposal_title": letter.proposal_title,
        "opening": letter.opening,
        "lead_department": letter.lead_department,
        "items": letter.items,
        "commitments": letter.commitments,
        "closing": letter.closing_paragraphs,
        "result_class": letter.result_class,
        "document_number": letter.document_number,
        "signed_by": letter.signed_by,
        "issuer": letter.issuer,
        "date": letter.date,
        "contact": letter.contact,
    }
    return [_MISSING_MESSAGES[key] for key, value in present.items() if not value]
