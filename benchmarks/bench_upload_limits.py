"""Time and memory of the Excel intake's reader (tracker.workbooks.read_sheet) on oversized files.

Run: .venv/bin/python benchmarks/bench_upload_limits.py
Each file is written first (streamed, never whole in memory), then read in a fresh process that
reports wall time, the peak of Python allocations (tracemalloc) and the growth of the process's
peak resident memory (ru_maxrss). A benchmark, not a test: tests/test_upload_limits.py asserts the
bounded behaviour. Results: BENCHMARKS.md ("Bounded uploads").
"""

import io
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")

HEADERS = [
    "会议(如 十二届三次)", "类型(提案|建议)", "案由", "正文", "类别", "提交日期",
    "提案者(顿号分隔，第一个为第一提案人)", "提案者类型(委员|代表|集体)",
]  # fmt: skip
ROW = [
    "十二届三次",
    "提案",
    "关于发展数字经济的建议",
    "PLACEHOLDER",
    "经济建设",
    "2020-01-15",
    "王五",
    "代表",
]

CASES = {
    "body cell of 100 million characters, shared strings": {"huge": 100_000_000, "shared": True},
    "body cell of 100 million characters, inline string": {"huge": 100_000_000, "shared": False},
    "declares 1,500 rows": {"dimension": "A1:H1501"},
    "1,500 rows, dimension says 1": {"rows": 1500, "dimension": "A1:H1"},
    "1,000 rows of 3,000-character bodies (accepted)": {"rows": 1000, "body": 3000},
}


def write(case, path):
    from workbook_files import with_dimension, with_huge_cell, workbook_bytes

    if "huge" in case:
        with open(path, "wb") as target:
            with_huge_cell([HEADERS, ROW], "D2", case["huge"], shared=case["shared"], target=target)
        return
    row = ROW if "body" not in case else [*ROW[:3], "文" * case["body"], *ROW[4:]]
    rows = [HEADERS] + [row] * case.get("rows", 1)
    data = with_dimension(rows, case["dimension"]) if "dimension" in case else workbook_bytes(rows)
    Path(path).write_bytes(data)


def measure(path):
    """Run in a fresh process: read the file, print the figures as JSON."""
    import resource
    import time
    import tracemalloc

    import django

    django.setup()
    from proposals.importing import COLUMNS, MAX_ROWS
    from tracker.workbooks import read_sheet

    data = io.BytesIO(Path(path).read_bytes())
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    result = read_sheet(data, COLUMNS, MAX_ROWS)
    seconds = time.perf_counter() - start
    tracemalloc.start()  # a second read for the Python peak: tracing slows the reader down
    read_sheet(data, COLUMNS, MAX_ROWS)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        json.dumps(
            {
                "seconds": seconds,
                "python_peak_mb": peak / 1e6,
                "rss_growth_mb": (after - before) / 1024,
                "rows": len(result.rows),
                "errors": result.errors[:1],
            },
            ensure_ascii=False,
        )
    )


def main():
    import django

    django.setup()
    print("| file | size | time | Python peak | RSS growth | answer |\n|---|---|---|---|---|---|")
    for name, case in CASES.items():
        with tempfile.NamedTemporaryFile(suffix=".xlsx") as handle:
            write(case, handle.name)
            size = os.path.getsize(handle.name)
            output = subprocess.run(
                [sys.executable, __file__, "--measure", handle.name],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            figures = json.loads(output.strip().splitlines()[-1])
            answer = figures["errors"][0] if figures["errors"] else f"{figures['rows']} rows read"
            print(
                f"| {name} | {size / 1024:,.0f} kB | {figures['seconds'] * 1000:,.0f} ms "
                f"| {figures['python_peak_mb']:.1f} MB | {figures['rss_growth_mb']:.1f} MB | {answer} |"
            )


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--measure":
        measure(sys.argv[2])
    else:
        main()
