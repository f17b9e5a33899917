"""Per-field accuracy of the letter parser on invented letters it was not tuned on.

tests/data/letters/corpus/ holds 40 letters written from the ten families of misses in issue 13
(trailer order, contact shapes, dates, issuer, signer, kind and number, addressees, class lines,
commitments, web-copy noise) BEFORE the parser was reworked; tests/data/letters/heldout/ holds
letters written after it, to check that the corpus did not simply become the training set. Each
letter has a .json next to it with the fields a careful clerk reads from it (null: not in the
letter). The test prints the accuracy per field and fails when a part falls below 95 %.

Commitments count as one field: right when the parser finds as many as expected and each starts
with the expected words.
"""

import json
from collections import Counter
from pathlib import Path

import pytest

from responses.parsing import parse_letter

DATA = Path(__file__).parent / "data" / "letters"
FIELDS = (
    "kind",
    "number",
    "addressees",
    "result_class",
    "document_number",
    "signed_by",
    "issuer",
    "date",
    "contact_person",
    "contact_phone",
    "copied_to",
    "commitments",
)
THRESHOLD = 0.95


def read_fields(parsed):
    contact = parsed.contact
    return {
        "kind": parsed.kind,
        "number": parsed.number,
        "addressees": list(parsed.addressees),
        "result_class": parsed.result_class,
        "document_number": parsed.document_number,
        "signed_by": parsed.signed_by,
        "issuer": parsed.issuer,
        "date": parsed.date,
        "contact_person": contact.person if contact else None,
        "contact_phone": contact.phone if contact else None,
        "copied_to": list(parsed.copied_to),
        "commitments": list(parsed.commitments),
    }


def field_is_right(field, expected, found):
    if field == "commitments":
        return len(found) == len(expected) and all(
            text.startswith(prefix) for text, prefix in zip(found, expected, strict=True)
        )
    return found == expected


def score(part):
    """(right per field, letters, [(letter, field, expected, found)] for every miss)."""
    right, misses = Counter(), []
    paths = sorted((DATA / part).glob("*.txt"))
    for path in paths:
        expected = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
        found = read_fields(parse_letter(path.read_text(encoding="utf-8")))
        for field in FIELDS:
            if field_is_right(field, expected[field], found[field]):
                right[field] += 1
            else:
                misses.append((path.stem, field, expected[field], found[field]))
    return right, len(paths), misses


def report(part, right, letters, misses):
    lines = [f"{part}: {letters} letters"]
    for field in FIELDS:
        lines.append(f"  {field:16} {right[field]:3}/{letters}  {right[field] / letters:6.1%}")
    total = sum(right.values())
    lines.append(
        f"  {'all fields':16} {total:3}/{letters * len(FIELDS)}  {total / (letters * len(FIELDS)):6.1%}"
    )
    lines.extend(
        f"  miss {name} {field}: expected {exp!r}, found {got!r}" for name, field, exp, got in misses
    )
    return "\n".join(lines)


@pytest.mark.parametrize(("part", "minimum_letters"), [("corpus", 40), ("heldout", 10)])
def test_field_accuracy_reaches_95_percent(part, minimum_letters, capsys):
    right, letters, misses = score(part)
    assert letters >= minimum_letters
    with capsys.disabled():
        print("\n" + report(part, right, letters, misses))
    accuracy = sum(right.values()) / (letters * len(FIELDS))
    assert accuracy >= THRESHOLD, report(part, right, letters, misses)


def test_every_expectation_file_names_every_field():
    for path in sorted(DATA.glob("*/*.json")):
        assert set(json.loads(path.read_text(encoding="utf-8"))) == set(FIELDS), path.name
