"""Read the structure of a reply letter (答复函) from its plain text.

`parse_letter(text)` accepts the text however it was copied (a web page, Word, a PDF) and returns a
`ParsedLetter`: header fields (类别 / 签发人 / 文号), the title, the addressees, the opening with
the proposal's title and its assignment (由…交由…主办，…会办), the numbered sections and their
下一步 commitments, the closing, the sign-off, the contact block and the copy list.

How the text is read
--------------------
Every line is stripped; empty and whitespace-only lines carry no meaning (letters are copied both
with and without blank lines between paragraphs). Matching happens on a *normalised* copy of each
line (`normalisation._normalise`): NFKC's one-character width foldings (full-width digits and
letters, the ideographic space, half-width forms, Kangxi radicals), ASCII punctuation to its
Chinese full-width form (`:` → `：`, `(` → `（`, …), and an ASCII full stop after Chinese text to
`。`. The mapping is one character to one character, so a match found on the normalised line is
sliced out of the printed line: every text the parser returns (paragraphs, headings, commitments)
is printed text, never normalised text. Labels match letter-spaced too (签 发 人, 抄　　送).

Each line is classified on its own by a scored set of cues (`roles.classify`): title, 文号, 类别,
签发人, body, closing, issuer, date, contact, 抄送, 附件, review note, disclosure, seal, page
furniture. The letter is then cut into zones:

* *front*: everything before the salutation — header fields, the title (possibly wrapped over
  several lines or repeated, as web pages do), and web-page chrome, which goes to `unparsed`;
* *body*: opening, sections, closing;
* *trailer*: the run of lines at the end whose roles are sign-off roles, in any order — sign-off
  unit, date, signer, review note, contact block, copies, a class mark, seals, page furniture —
  tolerating up to two short unrecognised lines inside it.

Fields that several lines may offer (number, class, 文号, signer, issuer, date, contact unit,
person, phone, postcode) are gathered as `Candidate`s with a score and a reason
(`ParsedLetter.candidates`); each field takes its best candidate, the first of equals in reading
order. The sign-off's own date (next to the unit's name) outranks other dates; a web page's
发布时间 scores 0 (shown, never chosen); the signed unit outranks the unit named in the title
(某某局关于…), which outranks a web page's 来源. `roles.explain` lists every line with its role
and reason (`parse_letter --explain`).

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
* `kind` comes from the letter's own words: 第N号提案 / 第N号建议 in the title, else 提案 or 建议
  outside quotation marks in the title, then in the opening; else from the session (政协 →
  proposal, 人大 → suggestion), a proposal title ending in 提案, or one ending in 建议 sent to a
  代表. 代表 alone never decides: the seed letter calls its CPPCC proposer 代表.
* `number` is an identifier: 第27号, or 27号提案 / 27号建议 without 第, in ASCII digits.
* `signed_by` comes only from a 签发人 / 签发 / 领导签发 field, wherever it stands (top or very
  end); a review note (此复函已经…审签) is kept verbatim in `review_note`, not mined for a name.
* The contact person is the 联系人 (or the person in a combined 联系人及电话 / 联系单位、联系人及
  电话 value); 承办人 / 经办人 only when no 联系人 is given.
* Commitments: see `find_commitments` for the 下一步 paragraphs. An item without any takes the
  promising sentences of its last paragraph (我局将…, 拟…, 计划…, 争取…, or …，我们将… later
  in a sentence), never one with 已 / 曾 before the promise.
* PDF page footers (— 2 —, 第2页) are dropped wherever they fall and listed in `unparsed`.
* Hard-wrapped text (PDF copies, where every line stops at the same width) is re-joined into
  paragraphs before anything else; `render_lines` then returns the joined paragraphs.

See `find_commitments` for how commitments are cut out of the 下一步 paragraphs.
"""

from .commitments import find_commitments
from .parse import (
    DOCX_MAX_BYTES,
    DOCX_MAX_UNPACKED_BYTES,
    LETTER_MAX_CHARS,
    MEGABYTE,
    LetterTooLarge,
    parse_letter,
    read_docx_text,
    render_lines,
)
from .roles import explain

__all__ = [
    "DOCX_MAX_BYTES",
    "DOCX_MAX_UNPACKED_BYTES",
    "LETTER_MAX_CHARS",
    "MEGABYTE",
    "LetterTooLarge",
    "explain",
    "find_commitments",
    "parse_letter",
    "read_docx_text",
    "render_lines",
]
