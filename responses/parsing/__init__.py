"""Read the structure of a reply letter (答复函) from its plain text.

`parse_letter(text)` accepts the text however it was copied (a web page, Word, a PDF) and returns a
`ParsedLetter`: header fields (类别 / 签发人 / 文号), the title, the addressees, the opening with
the proposal's title and its assignment (由…交由…主办，…会办), the numbered sections and their
下一步 commitments, the closing, the sign-off, the contact block and the copy list.

How the text is read
--------------------
Every line is stripped; empty lines carry no meaning (letters are copied both with and without
blank lines between paragraphs). Matching happens on a *normalised* copy of each line in which
full-width digits and letters become ASCII and ASCII punctuation becomes the Chinese full-width
form (`:` → `：`, `(` → `（`, …). The mapping is one character to one character, so a match found
on the normalised line is sliced out of the printed line: every text the parser returns
(paragraphs, headings, commitments) is printed text, never normalised text.

The letter is then cut into zones:

* *front*: everything before the salutation — header fields, the title (possibly wrapped over
  several lines or repeated, as web pages do), and web-page chrome, which goes to `unparsed`;
* *body*: opening, sections, closing;
* *trailer*: found by walking back from the end over lines that are recognisably not prose —
  sign-off unit, date, review note, contact block, copies, a class mark (办复类别：B), seals.

Decisions a reader would otherwise guess
----------------------------------------
* A letter without numbered sections gets a single item whose `number` and `heading` are ""
  holding the body paragraphs, so commitments always belong to an item; `items` is [] only when
  there is no body at all.
* Section labels are ranked 一、 > （一） > 1. > （1） > ①; a label becomes a child of the nearest
  open section of a higher rank, so a letter numbered only with （一） or 1. still gets top-level
  items.
* A heading line that carries prose after its first 。 (``一、加强统筹。我局……``) is split:
  the heading is the text before the 。 and the rest becomes the item's first paragraph.
* A lead department printed as 我局 / 我厅 / 本委 … is replaced by the sign-off unit when the
  letter has one.
* `signed_by` comes only from a 签发人 field; a review note (此复函已经…审签) is kept verbatim in
  `review_note` and not mined for a name.
* `kind` comes from the letter's own words: 第N号提案 / 第N号建议 in the title, else 提案 or 建议
  outside quotation marks in the title, then in the opening, else "proposal" when the quoted
  proposal title ends in 提案. It is never guessed from 委员 / 代表: the seed letter calls its
  CPPCC proposer 代表.
* PDF page footers (— 2 —, 第2页) are dropped wherever they fall and listed in `unparsed`.
* Hard-wrapped text (PDF copies, where every line stops at the same width) is re-joined into
  paragraphs before anything else; `render_lines` then returns the joined paragraphs.

See `find_commitments` for how commitments are cut out of the 下一步 paragraphs.
"""

from .commitments import find_commitments
from .parse import (
    DOCX_MAX_BYTES,
    LETTER_MAX_CHARS,
    LetterTooLarge,
    parse_letter,
    read_docx_text,
    render_lines,
)
from .roles import explain

__all__ = [
    "DOCX_MAX_BYTES",
    "LETTER_MAX_CHARS",
    "LetterTooLarge",
    "explain",
    "find_commitments",
    "parse_letter",
    "read_docx_text",
    "render_lines",
]
