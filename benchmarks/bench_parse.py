"""Time parse_letter on the seed letter and the invented test letters.

Run: .venv/bin/python benchmarks/bench_parse.py [--rounds N]
Prints the mean and median (p50) parse time per letter, then over all letters. A benchmark, not
a test: the budget is 20 ms per letter.
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run from anywhere without installing the project

from responses.parsing import parse_letter  # noqa: E402

DATA = ROOT / "tests" / "data"


def letters():
    paths = [DATA / "seed_letter.txt", *sorted((DATA / "letters").glob("*.txt"))]
    return [(path.name, path.read_text(encoding="utf-8")) for path in paths]


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
    parser.add_argument("--rounds", type=int, default=200, help="parses per letter (default 200)")
    rounds = parser.parse_args().rounds

    everything = []
    print(f"{'letter':<45} {'chars':>6} {'mean ms':>8} {'p50 ms':>8}")
    for name, text in letters():
        timings = time_parse(text, rounds)
        everything.extend(timings)
        print(row(name, len(text), timings))
    print(row("all letters", "", everything))


def row(name, size, timings):
    return f"{name:<45} {size:>6} {statistics.fmean(timings):>8.3f} {statistics.median(timings):>8.3f}"


if __name__ == "__main__":
    main()
