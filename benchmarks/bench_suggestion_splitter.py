"""How fast proposals.suggestions.split_suggestions splits bodies, and that it stays linear.

    .venv/bin/python benchmarks/bench_suggestion_splitter.py

Bodies: every corpus body of tests/data/suggestions/ (typical, 60–400 characters), a 3,000-character
body (analysis paragraphs, then eight numbered suggestions), a 50,000-character body (the longest a
proposal may hold) and a 50,000-character body with no numbering. Best CPU time of five runs.
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
os.environ.setdefault("DJANGO_DEBUG", "1")

import django  # noqa: E402

django.setup()

from proposals.suggestions import split_suggestions  # noqa: E402

DATA = Path(__file__).resolve().parent.parent / "tests" / "data" / "suggestions"


def best(func, runs=5):
    times = []
    for _ in range(runs):
        start = time.process_time()
        func()
        times.append(time.process_time() - start)
    return min(times)


def typical(paragraphs):
    analysis = "\n".join(
        f"{n}.我区该领域仍存在短板，群众反映较多，需要进一步加大工作力度。" * 4 for n in range(1, paragraphs)
    )
    suggestions = "\n".join(
        f"（{'一二三四五六七八'[n]}）加快推进第{n + 1}项工作，完善政策措施，强化资金保障。" * 2
        for n in range(8)
    )
    return f"一、存在问题\n{analysis}\n二、对策建议\n{suggestions}"


def main():
    corpus = [
        path.read_text(encoding="utf-8").partition("\n=====\n")[0] for path in sorted(DATA.glob("*.txt"))
    ]
    body_3k = typical(10)
    body_50k = typical(200)[:50_000]
    plain_50k = ("我区该领域仍存在短板，群众反映较多，需要进一步加大工作力度。" * 2000)[:50_000]
    rows = [
        (
            f"corpus ({len(corpus)} bodies, each)",
            best(lambda: [split_suggestions(b) for b in corpus]) / len(corpus),
        ),
        (f"{len(body_3k):,} characters, 8 suggestions", best(lambda: split_suggestions(body_3k))),
        (f"{len(body_50k):,} characters, numbered", best(lambda: split_suggestions(body_50k))),
        (f"{len(plain_50k):,} characters, no numbering", best(lambda: split_suggestions(plain_50k))),
    ]
    for name, seconds in rows:
        print(f"| {name} | {seconds * 1000:.2f} ms |")


if __name__ == "__main__":
    main()
