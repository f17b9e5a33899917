"""Turn a parsed reply letter into records: session, proposal, proposers, assignments, the reply,
its items and commitments.

Used by the office's import page (responses/views/letters/) and by `manage.py import_letters`.
Nothing here changes the models: a letter becomes the rows the tracker already has.

Matching names
--------------
Letters name units and sessions the way their writers like: 自治区发改委 for 自治区发展改革委,
工信厅 for 工业和信息化厅, 青川市科学技术局 for 市科技局. A name is compared with the names on
record in three steps:

1. *exact*: equal once spaces are removed (王  芳 = 王芳);
2. *standard abbreviation*: equal once both are reduced by `ABBREVIATIONS` (发展和改革委员会 →
   发改委, 工业和信息化 → 工信, 科学技术 → 科技, …); scored 1.0 but shown as near, not exact;
3. *near*: difflib's `SequenceMatcher.ratio()` on the reduced names; a reduced name of three or
   more characters that ends the other (科技厅 / 自治区科技厅) scores at least `SUFFIX_SCORE`.

The import page offers every name scoring at least `NEAR_THRESHOLD` (0.6), exact ones first, and
preselects the best one when it scores at least `AUTO_THRESHOLD` (0.85); anything else needs the
office to tick "create new". The bulk command takes the best name scoring at least
`AUTO_THRESHOLD` and creates the rest. With the 0.85 threshold a person's name of two to four
characters only matches exactly (one character off scores 0.5–0.75), and 自治区财政厅 never
matches 自治区教育厅 (0.67).

Sessions are matched on their term and number (十二届三次): two sessions whose term or number
differ are never offered, however alike their names; the committee is the one whose short name
(自治区政协) the letter prints, or the only committee there is. Proposals are matched on their
number within the session (exact), and on the page also by title (near).

Saving
------
`save_letter` writes everything in one transaction and validates every row with `full_clean()`
first, so a bad row (a commitment that is not a substring of its paragraphs, a field too long)
rolls back the whole letter. An existing proposal is completed, never overwritten: missing
proposers and assignments are added, differing fields are reported in `ImportResult.notes` and
left as they are. A second import of the same letter (same proposal, same department, same title
and first paragraph) raises `DuplicateLetter`.
"""

# save_letter lets a row's ValidationError through; callers catch it as importing.ValidationError.
from django.core.exceptions import ValidationError

from .draft import LetterDraft, draft_from_text
from .matching import (
    AUTO_THRESHOLD,
    Matcher,
    best,
    name_score,
    session_key,
    squeeze,
    year_from,
)
from .refusals import DuplicateLetter, ImportRefused
from .resolution import (
    NewDepartment,
    NewProposer,
    NewSession,
    Resolution,
    proposer_kind,
    resolve,
)
from .saving import import_text, save_letter

__all__ = [
    "AUTO_THRESHOLD",
    "DuplicateLetter",
    "ImportRefused",
    "LetterDraft",
    "Matcher",
    "NewDepartment",
    "NewProposer",
    "NewSession",
    "Resolution",
    "ValidationError",
    "best",
    "draft_from_text",
    "import_text",
    "name_score",
    "proposer_kind",
    "resolve",
    "save_letter",
    "session_key",
    "squeeze",
    "year_from",
]
