"""Time parse_letter: milliseconds per typical letter, and how the cost grows with the input.

Run: .venv/bin/python benchmarks/bench_parser.py [--rounds N]

Prints the mean and median (p50) parse time of every letter in tests/data (the seed letter, the
shape letters, the accuracy corpus and its held-out part), then over all of them (budget: 20 ms
per typical letter), then the best CPU time of seven runs of hard-wrapped pastes of n and 4n lines and
their ratio (≈ 4 when linear, 16 when quadratic). A benchmark, not a test.
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run from anywhere without installing the project

from responses.parsing import parse_letter  # noqa: E402
from tests.test_letter_parser_linear import best_times, hard_wrapped  # noqa: E402

DATA = ROOT / "tests" / "data"
SIZES = (500, 2000)


def letters():
    paths = [
        DATA / "seed_letter.txt",
        *sorted((DATA / "letters").glob("*.txt")),
        *sorted((DATA / "letters").glob("*/*.txt")),
    ]
    return [(str(path.relative_to(DATA)), path.read_text(encoding="utf-8")) for path in paths]


def time_parse(text, rounds):
    parse_letter(text)  # warm up: first-call costs are not what a page view pays
    timings = []
    for _ in range(rounds):
        started = time.perf_counter()
        parse_letter(text)
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=100, help="parses per letter (default 100)")
    rounds = parser.parse_args().rounds

    everything = []
    print(f"{'letter':<75} {'chars':>6} {'mean ms':>8} {'p50 ms':>8}")
    for name, text in letters():
        timings = time_parse(text, rounds)
        everything.extend(timings)
        print(row(name, len(text), timings))
    print(row("all letters", "", everything))

    small, large = (seconds * 1000 for seconds in best_times(*(hard_wrapped(lines) for lines in SIZES)))
    print()
    print(
        f"hard-wrapped paste, best CPU time: {SIZES[0]} lines {small:.1f} ms; {SIZES[1]} lines {large:.1f} ms"
    )
    print(f"ratio {SIZES[1]}/{SIZES[0]} lines: {large / small:.2f} (linear ≈ 4, quadratic ≈ 16)")


def row(name, size, timings):
    return f"{name:<75} {size:>6} {statistics.fmean(timings):>8.3f} {statistics.median(timings):>8.3f}"


if __name__ == "__main__":
    main()
