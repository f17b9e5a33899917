"""MinHash bands: how a near-duplicate of a proposal is found among 100,000 without comparing them all.

A proposal's text is cut into shingles: every SHINGLE characters of each run of Chinese characters
and ASCII letters or digits (search/bigrams.py `runs`; punctuation ends a run, so a copy whose
sentences come in another order has exactly the same shingles). Its MinHash sketch keeps, for each
of BANDS × ROWS slots, the smallest hash among the shingles falling into that slot (one-permutation
hashing: one crc32 per shingle, its remainder picks the slot; a slot no shingle falls into borrows
its next neighbour's, marked by the distance). Two texts agree in a slot with a probability equal to
the Jaccard similarity of their shingle sets; a band (ROWS consecutive slots) is kept as one hash,
so two texts share a band with probability s^ROWS, and share at least one of BANDS with probability
1 - (1 - s^ROWS)^BANDS: 0.99 for a copy sharing 90 % of its shingles, 0.9 at 85 %, 0.68 at 80 %,
but 0.01 at 55 % — what two proposals built from the same template sentences share (BENCHMARKS.md).

Computed in Python, with no corpus statistics: a proposal's bands never change unless its text does,
so they are written when the proposal is saved (search/signals.py) and in bulk by refresh_similarity.
"""

import hashlib
import zlib

from .bigrams import runs

SHINGLE = 5
BANDS = 16
ROWS = 12
SLOTS = BANDS * ROWS
# A slot's minimum is below 2**32 // SLOTS; a borrowed one is shifted above every real one.
_BORROWED = 1 << 32


def shingles(text):
    """The set of SHINGLE-character substrings of the text's runs (a shorter run counts whole)."""
    found = set()
    for run in runs((text or "").lower()):
        if len(run) <= SHINGLE:
            found.add(run)
        else:
            found.update(run[i : i + SHINGLE] for i in range(len(run) - SHINGLE + 1))
    return found


def sketch(found):
    """The MinHash sketch (SLOTS integers) of a set of shingles, or [] for none."""
    slots = [None] * SLOTS
    for shingle in found:
        value = zlib.crc32(shingle.encode())
        slot, value = divmod(value, SLOTS)[::-1]
        if slots[slot] is None or value < slots[slot]:
            slots[slot] = value
    if not found:
        return []
    # Each slot takes the nearest filled slot at or after it, wrapping round: one backward walk over
    # the slots twice (a short text fills few slots; searching forward from each was quadratic).
    filled = [None] * SLOTS
    nearest = None
    for position in range(2 * SLOTS - 1, -1, -1):
        if slots[position % SLOTS] is not None:
            nearest = position
        if position < SLOTS:
            filled[position] = slots[nearest % SLOTS] + (nearest - position) * _BORROWED
    return filled


def band_hashes(text):
    """[(band number, signed 64-bit hash)] of the text's BANDS bands, or [] for a text without a
    character to shingle."""
    values = sketch(shingles(text))
    if not values:
        return []
    hashes = []
    for band in range(BANDS):
        key = ",".join(map(str, [band, *values[band * ROWS : (band + 1) * ROWS]]))
        digest = hashlib.blake2b(key.encode(), digest_size=8).digest()
        hashes.append((band, int.from_bytes(digest, "big", signed=True)))
    return hashes


def identity_text(title, body):
    """What a proposal is recognised by: its body (a copy rewords the title first), or its title
    when the body holds nothing to shingle."""
    return body if runs(body) else title
