"""The letter parser's cost grows linearly with its input (issue 10, item 2).

No absolute timing: each shape is parsed at n and 4n lines and the ratio of the best CPU time of
several runs must stay near 4 (a quadratic step would give 16). The bound is generous (< 8) so that
a busy machine does not fail the test; a regression to quadratic cost still does.
"""

import gc
import time

import pytest

from responses.parsing import parse_letter

HEAD = (
    "关于市政协十三届二次会议第12号提案答复的函\n张三委员：\n"
    "您提出的《关于城乡供水的提案》收悉，现答复如下：\n"
)
TAIL = "感谢您对水利工作的关心和支持。\n某某市水利局\n2024年5月6日\n联系人：李四　联系电话：0771-5512345\n"
# Ends with a comma: hard-wrapped lines never end a sentence, so the whole body is one paragraph.
CLAUSE = "近年来我市持续推进城乡供水一体化建设，累计完成管网改造一百二十公里，受益群众十余万人，"
WIDTH = 34  # characters per hard-wrapped line, as a PDF copy prints them
SMALL, RUNS, BOUND = 400, 7, 8


def hard_wrapped(lines):
    text = CLAUSE * (lines * WIDTH // len(CLAUSE) + 1)
    return HEAD + "\n".join(text[i : i + WIDTH] for i in range(0, lines * WIDTH, WIDTH)) + "。\n" + TAIL


def many_paragraphs(lines):
    body = "\n".join(f"下一步，我局将推进第{i}批管网改造，一是完善规划。二是加强监管。" for i in range(lines))
    return HEAD + body + "\n" + TAIL


def many_sections(lines):
    sections = []
    for i in range(lines // 2):
        sections.append(f"（{i % 10 + 1}）关于第{i}项工作")
        sections.append(f"今年完成改造{i}公里。")
    return HEAD + "\n".join(sections) + "\n" + TAIL


def long_copy_list(lines):
    units = "\n".join(f"某某县第{i}局" for i in range(lines))
    return HEAD + "今年完成改造。\n" + TAIL + "抄送：市政府办公室、\n" + units + "\n"


def best_times(small, large):
    """The best CPU time of several runs of each text, interleaved, the garbage collector held off.

    CPU time of this process, not wall time: other processes on a busy machine do not count, and
    interleaving the runs exposes both texts to the same moments of cache and frequency noise.
    """
    best = {small: float("inf"), large: float("inf")}
    gc.collect()
    gc.disable()
    try:
        for _ in range(RUNS):
            for text in (small, large):
                started = time.process_time()
                parse_letter(text)
                best[text] = min(best[text], time.process_time() - started)
    finally:
        gc.enable()
    return best[small], best[large]


@pytest.mark.parametrize("shape", [hard_wrapped, many_paragraphs, many_sections, long_copy_list])
def test_four_times_the_lines_costs_about_four_times_the_time(shape):
    small, large = shape(SMALL), shape(4 * SMALL)
    parse_letter(small)  # warm up
    small_time, large_time = best_times(small, large)
    ratio = large_time / small_time
    assert ratio < BOUND, f"{shape.__name__}: {4 * SMALL} lines took {ratio:.1f}× the time of {SMALL}"


def test_a_two_thousand_line_hard_wrapped_paste_is_read_as_one_letter():
    parsed = parse_letter(hard_wrapped(2000))
    assert parsed.is_letter and parsed.number == "12"
    assert len(parsed.items) == 1 and len(parsed.items[0].paragraphs) == 1  # re-joined
    assert parsed.issuer == "某某市水利局" and parsed.date == "2024-05-06"
