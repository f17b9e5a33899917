"""The reply-letter parser (responses.parsing) and the parse_letter command.

Pure tests: no database. The letters under tests/data/letters/ are invented; each shows one shape
of letter (see the file names). The seed letter is the real published reply to proposal 20200287.
"""

import io
import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from responses.parsing import find_commitments, parse_letter, render_lines

DATA = Path(__file__).parent / "data"
SEED = DATA / "seed_letter.txt"
LETTERS = DATA / "letters"

DICT_KEYS = {
    "kind",
    "number",
    "session",
    "addressees",
    "addressee_title",
    "proposal_title",
    "result_class",
    "document_number",
    "signed_by",
    "issuer",
    "date",
    "contact",
    "copied_to",
    "assigned_by",
    "lead_department",
    "co_departments",
    "items",
    "commitments",
    "closing",
    "unparsed",
}
ITEM_KEYS = {"number", "heading", "paragraphs", "children", "commitments"}


def read(path):
    return path.read_text(encoding="utf-8")


def parse_file(name):
    return parse_letter(read(LETTERS / name))


def printed_lines(text):
    return [line.strip() for line in text.splitlines() if line.strip()]


def all_items(items):
    for item in items:
        yield item
        yield from all_items(item["children"])


# --------------------------------------------------------------------------- the seed letter


@pytest.fixture(scope="module")
def seed():
    return parse_letter(read(SEED))


def test_seed_header_fields(seed):
    letter = seed.to_dict()
    assert letter["kind"] == "proposal"
    assert letter["number"] == "20200287"
    assert letter["session"] == "自治区政协十二届三次会议"
    assert letter["addressees"] == ["蒋俏玲"]
    assert letter["addressee_title"] == "代表"
    assert letter["proposal_title"] == "关于培养发展战略性新兴产业，推动广西工业高质量发展的建议"


def test_seed_assignment(seed):
    assert seed.assigned_by == "自治区政协办公厅"
    assert seed.lead_department == "自治区科技厅"
    assert seed.co_departments == ["自治区发展改革委", "自治区工业和信息化厅", "自治区财政厅"]


def test_seed_printed_parts(seed):
    assert seed.is_letter
    assert seed.title_lines == ["关于自治区政协十二届三次会议", "第20200287号提案答复的函"]
    assert seed.salutation == "蒋俏玲代表："
    assert len(seed.opening) == 1
    assert seed.opening[0].startswith("您在自治区政协十二届三次会议上提出的《")
    assert seed.opening[0].endswith("现对该提案答复如下：")


def test_seed_sections(seed):
    items = seed.to_dict()["items"]
    assert [item["number"] for item in items] == ["一、", "二、", "三、", "四、", "五、"]
    assert items[0]["heading"] == "关于建设新兴产业高水平创新创业平台的建议"
    assert items[4]["heading"] == "关于拓展新兴产业市场空间的建议"
    assert [child["number"] for child in items[4]["children"]] == ["（一）", "（二）"]
    assert items[4]["children"][0]["heading"] == "关于调整政府集中采购目录的问题"
    assert items[4]["children"][1]["heading"] == "关于优先采购战略性新兴产业新产品的问题"
    assert [len(item["paragraphs"]) for item in items] == [2, 2, 2, 2, 0]
    assert items[0]["paragraphs"][1].startswith("下一步，我区将深入贯彻落实")
    for item in all_items(items):
        assert set(item) == ITEM_KEYS


def test_seed_commitments(seed):
    items = seed.to_dict()["items"]
    assert [len(item["commitments"]) for item in items] == [3, 1, 1, 1, 0]
    assert all(not child["commitments"] for child in items[4]["children"])
    first = items[0]["commitments"]
    assert first[0] == "一是对自治区各部门管理的创新平台进行优化整合。"
    assert first[1].startswith("二是加强对自治区重点实验室") and first[1].endswith("结果运用。")
    assert first[2].startswith("三是加大财政投入") and first[2].endswith("国家级创新平台。")
    # Section 三's 下一步 paragraph has no 一是: the whole text after "下一步，" is one commitment.
    third = items[2]["commitments"][0]
    assert third.startswith("我区将继续充分发挥国家高新区的产业集聚作用")
    assert third.endswith("争取国家更多资金和项目支持。")
    assert len(seed.commitments) == 6


def test_seed_commitments_are_exact_substrings_of_their_paragraphs(seed):
    for item in all_items(seed.to_dict()["items"]):
        joined = "\n".join(item["paragraphs"])
        for commitment in item["commitments"]:
            assert commitment in joined


def test_seed_has_no_sign_off_because_the_published_text_has_none(seed):
    letter = seed.to_dict()
    assert letter["date"] is None
    assert letter["issuer"] is None
    assert letter["contact"] is None
    assert letter["copied_to"] == []
    assert letter["closing"] is None
    assert letter["result_class"] is None
    assert letter["unparsed"] == []
    assert "未找到日期（如：2023年10月16日）" in seed.missing


def test_seed_lines_are_recoverable_in_order(seed):
    assert render_lines(seed) == printed_lines(read(SEED))


def test_seed_dict_is_json_serialisable_with_exactly_the_documented_keys(seed):
    letter = seed.to_dict()
    assert set(letter) == DICT_KEYS
    assert json.loads(json.dumps(letter, ensure_ascii=False)) == letter


# --------------------------------------------------------------------------- invented letters


def test_header_at_top_with_sub_sections_contact_and_copies():
    parsed = parse_file("01_header_top_proposal.txt")
    letter = parsed.to_dict()
    assert (letter["result_class"], letter["signed_by"], letter["document_number"]) == (
        "B",
        "李建华",
        "青科函〔2023〕34号",
    )
    assert letter["addressees"] == ["王芳"]  # printed "王  芳委员："
    assert letter["addressee_title"] == "委员"
    assert letter["proposal_title"] == "关于加快培育科技型中小企业的建议"
    assert letter["assigned_by"] == "市政协提案委员会"
    assert letter["lead_department"] == "青川市科学技术局"  # "交由我局主办" resolved to the sign-off unit
    assert letter["co_departments"] == ["市财政局", "市市场监管局"]
    assert [child["number"] for child in letter["items"][1]["children"]] == ["（一）", "（二）"]
    assert letter["items"][0]["commitments"] == [
        "一是扩大培育库覆盖面，力争2024年入库企业突破500家。",
        "二是建立“一企一策”跟踪服务机制，每季度开展一次走访。",
        "三是加强研发费用加计扣除政策宣讲，确保企业应享尽享。",
    ]
    assert letter["items"][2]["commitments"] == [
        "我们将进一步提升孵化载体服务能力，推动孵化器向专业化方向发展。"
    ]
    assert len(letter["commitments"]) == 6
    assert letter["closing"].startswith("感谢您对我市科技工作的关心和支持")
    assert (letter["issuer"], letter["date"]) == ("青川市科学技术局", "2023-07-18")
    assert parsed.review_note == "（此复函已经局长陈国栋审签）"
    assert letter["contact"] == {
        "unit": "市科技局科技创新科",
        "person": "赵明",
        "phone": "0871-6512345",
        "postcode": "650011",
    }
    assert letter["copied_to"] == ["市政协提案委员会", "市政府督查室", "市财政局", "市市场监管局"]
    assert letter["unparsed"] == []
    assert parsed.missing == []


def test_suggestion_with_wrapped_title_two_deputies_and_class_at_end():
    parsed = parse_file("02_suggestion_class_at_end.txt")
    letter = parsed.to_dict()
    assert letter["kind"] == "suggestion"
    assert letter["number"] == "0456"
    assert letter["session"] == "北湖市第十七届人民代表大会第三次会议"
    assert parsed.title_lines == ["关于北湖市第十七届人民代表大会第三次会议", "第0456号建议的答复"]
    assert letter["addressees"] == ["刘海燕", "陈刚"]
    assert letter["addressee_title"] == "代表"
    assert letter["proposal_title"] == "关于改善老旧小区停车难问题的建议"  # quoted with “”
    assert letter["result_class"] == "A"  # 办复类别：A after the date
    assert letter["date"] == "2023-08-25"  # 二〇二三年八月二十五日
    assert letter["items"][0]["commitments"] == [
        "一是结合2024年老旧小区改造计划，新增泊位不少于1500个；",
        "二是推动机关企事业单位停车场夜间向周边居民开放；",
        "三是研究出台居住区停车收费指导意见。",
    ]
    assert letter["contact"] == {
        "unit": "市住建局城建科",
        "person": "孙伟",
        "phone": "0551-8765432",
        "postcode": "230001",
    }
    assert letter["copied_to"] == ["市人大常委会代表工作委员会", "市人民政府办公室"]


def test_letter_without_sections_gets_one_unnumbered_item():
    parsed = parse_file("03_no_sections_et_al.txt")
    letter = parsed.to_dict()
    assert letter["addressees"] == ["张志强"]  # 张志强等委员：
    assert letter["proposal_title"] == "关于加强农村饮用水安全保障的提案"  # 》 missing
    assert letter["number"] == "15"
    assert (letter["assigned_by"], letter["lead_department"]) == ("县政协提案委员会", "县水利局")
    assert letter["co_departments"] == ["县卫健局", "县生态环境分局"]  # 协办
    assert len(letter["items"]) == 1
    only = letter["items"][0]
    assert (only["number"], only["heading"]) == ("", "")
    assert len(only["paragraphs"]) == 3
    assert only["commitments"] == [only["paragraphs"][2].removeprefix("下一步，")]
    assert letter["closing"].startswith("再次感谢")
    assert (letter["issuer"], letter["date"]) == ("云溪县水利局", "2023-06-30")


def test_web_copy_with_chrome_repeated_title_and_ascii_punctuation():
    parsed = parse_file("04_web_copy_ascii.txt")
    letter = parsed.to_dict()
    assert parsed.title_lines == ["关于市政协十三届五次会议第0089号提案答复的函"]
    assert letter["result_class"] == "A"  # 类别:A
    assert parsed.salutation == "周晓梅委员:"
    assert letter["number"] == "0089"
    assert letter["proposal_title"] == "关于推动乡村旅游高质量发展的提案"
    assert [item["number"] for item in letter["items"]] == ["(一)", "(二)"]  # printed form kept
    assert letter["items"][1]["commitments"] == ["一是每年新推出精品线路不少于3条;", "二是加强线路宣传推广。"]
    assert letter["contact"] == {"unit": None, "person": "王五", "phone": "0734-2233445", "postcode": None}
    assert letter["unparsed"] == [
        "首页 > 政务公开 > 建议提案办理",
        "发布时间：2022-09-15 10:30    来源：市文化广电和旅游局    浏览次数：326",
        "【字体：大 中 小】",
        "打印本页  关闭窗口",
    ]
    assert letter["date"] == "2022-09-08"  # the page's 发布时间 is not the letter's date


def test_hard_wrapped_pdf_text_is_rejoined():
    parsed = parse_file("05_pdf_hard_wrapped.txt")
    letter = parsed.to_dict()
    assert letter["addressees"] == ["民革省委会"]
    assert letter["addressee_title"] is None
    assert len(parsed.opening) == 1 and parsed.opening[0].endswith("现答复如下：")
    assert letter["co_departments"] == ["省财政厅", "省卫生健康委"]
    first = letter["items"][0]
    assert first["paragraphs"][0].endswith("并将服务质量评估结果与补贴资金拨付挂钩。")
    # "下一步…以下工作：" introduces 一是/二是/三是 printed as paragraphs of their own.
    assert [commitment[:2] for commitment in first["commitments"]] == ["一是", "二是", "三是"]
    second = letter["items"][1]
    assert second["paragraphs"][0].startswith("我厅会同省人力资源社会保障厅")
    assert "— 2 —" not in second["paragraphs"][0]
    assert "，2022年共培训" in second["paragraphs"][0]
    assert letter["unparsed"] == ["— 2 —"]
    assert letter["closing"].startswith("最后，衷心感谢")


def test_organisation_addressee_arabic_numbering_and_run_in_headings():
    parsed = parse_file("06_organisation_arabic_numbering.txt")
    letter = parsed.to_dict()
    assert (letter["document_number"], letter["signed_by"]) == ("秦教函〔2023〕21号", "吴振华")
    assert letter["addressees"] == ["市政协教育界别"]
    assert letter["proposal_title"] == "关于推进中小学课后服务提质增效的提案"  # no brackets at all
    assert letter["lead_department"] == "秦州市教育局"
    assert letter["co_departments"] == ["市财政局", "市人社局"]  # 配合办理
    assert [(item["number"], item["heading"]) for item in letter["items"]] == [
        ("1.", "关于扩大课后服务覆盖面"),
        ("2.", "关于丰富课后服务内容"),
        ("3.", "关于减轻教师负担"),
    ]
    assert letter["items"][0]["paragraphs"][0].startswith("今年秋季学期")
    assert len(letter["commitments"]) == 1
    assert letter["closing"] == "特此函复。"
    assert letter["copied_to"] == ["市政府办公室", "市政协提案委员会", "市财政局", "市人社局"]
    assert letter["unparsed"] == []


def test_salutation_and_opening_on_one_line_and_commitments_inside_paragraphs():
    parsed = parse_file("07_inline_salutation_run_in.txt")
    letter = parsed.to_dict()
    assert parsed.salutation == "李明辉委员："
    assert parsed.opening[0].startswith("您提出的《关于加强城市噪声污染防治的提案》")
    assert [item["heading"] for item in letter["items"]] == [
        "加强噪声监测",
        "强化建筑施工噪声监管",
        "推进交通噪声治理",
    ]
    assert letter["items"][0]["commitments"] == ["我局将在新建住宅集中区域增设监测点位5个。"]
    assert letter["items"][2]["commitments"] == []
    assert letter["contact"]["person"] == "周敏"
    assert letter["unparsed"] == ["青川市生态环境局"]  # the letterhead
    assert letter["lead_department"] is None
    assert "未找到主办单位（如：由…交由…主办）" in parsed.missing


def test_national_suggestion_with_issuer_and_date_on_one_line():
    letter = parse_file("08_national_suggestion.txt").to_dict()
    assert letter["kind"] == "suggestion"
    assert letter["session"] == "十四届全国人大一次会议"
    assert letter["number"] == "1234"
    assert letter["result_class"] == "C"
    assert letter["proposal_title"] == "关于支持西部地区发展特色林果产业的建议"
    assert (letter["issuer"], letter["date"]) == ("国家林业和草原局", "2023-06-20")
    assert [len(item["commitments"]) for item in letter["items"]] == [1, 1]  # 下步， and 今后，


def test_missing_opening_bracket_and_copies_wrapped_over_two_lines():
    parsed = parse_file("09_missing_open_bracket_wrapped_copies.txt")
    letter = parsed.to_dict()
    assert letter["proposal_title"] == "关于改善城乡公交服务的建议"
    assert letter["assigned_by"] == "县人大常委会选举任免联络工作委员会"
    assert letter["lead_department"] == "县交通运输局"
    assert letter["issuer"] == "溪口县交通运输局"
    assert letter["copied_to"] == ["县人大常委会选举任免联络工作委员会", "县人民政府办公室", "县财政局"]
    assert parsed.review_note == "（此复函已经局长何志远审签）"
    assert len(letter["commitments"]) == 3


@pytest.mark.parametrize(
    "name", sorted(path.name for path in LETTERS.glob("*.txt") if "pdf" not in path.name)
)
def test_every_line_of_each_letter_is_recoverable(name):
    text = read(LETTERS / name)
    assert render_lines(parse_letter(text)) == printed_lines(text)


@pytest.mark.parametrize("name", sorted(path.name for path in LETTERS.glob("*.txt")))
def test_each_letter_is_a_letter_with_sections_and_commitments(name):
    parsed = parse_letter(read(LETTERS / name))
    letter = parsed.to_dict()
    assert parsed.is_letter
    assert set(letter) == DICT_KEYS
    assert letter["number"] and letter["kind"] and letter["addressees"] and letter["date"]
    assert letter["items"] and letter["commitments"]
    for item in all_items(letter["items"]):
        for commitment in item["commitments"]:
            assert commitment in "\n".join(item["paragraphs"])


# --------------------------------------------------------------------------- small shapes


def small_letter(salutation="张三委员：", body="一、关于加强管理\n近年来，我局做了很多工作。", tail=""):
    return (
        "关于市政协十四届二次会议第123号提案答复的函\n"
        f"{salutation}\n"
        "您提出的《关于加强管理的提案》收悉，现答复如下：\n"
        f"{body}\n"
        "感谢您的关心和支持。\n"
        f"{tail}"
    )


@pytest.mark.parametrize(
    ("salutation", "addressees", "title"),
    [
        ("张三委员：", ["张三"], "委员"),
        ("张三、李四委员：", ["张三", "李四"], "委员"),
        ("张三等委员：", ["张三"], "委员"),
        ("张三等5位委员：", ["张三"], "委员"),
        ("张  三代表：", ["张三"], "代表"),
        ("尊敬的王五代表:", ["王五"], "代表"),
    ],
)
def test_salutation_shapes(salutation, addressees, title):
    parsed = parse_letter(small_letter(salutation=salutation))
    assert (parsed.addressees, parsed.addressee_title) == (addressees, title)
    assert parsed.salutation == salutation


@pytest.mark.parametrize(
    ("printed", "iso"),
    [
        ("2023年10月16日", "2023-10-16"),
        ("二〇二三年十月十六日", "2023-10-16"),
        ("二〇二四年一月三十一日", "2024-01-31"),
        ("2023 年 1 月 5 日", "2023-01-05"),
        ("２０２３年１０月１６日", "2023-10-16"),
        ("2023年2月30日", None),  # printed, but not a real day: recognised, not invented
    ],
)
def test_date_shapes(printed, iso):
    parsed = parse_letter(small_letter(tail=f"某某市科学技术局\n{printed}\n"))
    assert parsed.issuer == "某某市科学技术局"
    assert parsed.date == iso


def test_contact_block_on_one_line_with_semicolons():
    tail = (
        "市科技局\n2023年10月16日\n"
        "联系单位：市科技局办公室；联系人：李  四；联系电话：010-12345678；邮编：100000\n"
    )
    contact = parse_letter(small_letter(tail=tail)).contact
    assert contact.to_dict() == {
        "unit": "市科技局办公室",
        "person": "李四",
        "phone": "010-12345678",
        "postcode": "100000",
    }


@pytest.mark.parametrize(
    ("paragraph", "expected"),
    [
        ("下一步，我们将加强管理。", ["我们将加强管理。"]),
        ("下一步我们将加强管理。", ["我们将加强管理。"]),
        ("下一步，我局将：一是加强A；二是加强B。", ["一是加强A；", "二是加强B。"]),
        # A clause runs over its sentences up to the next enumerator, the last one to the end.
        (
            "下一步，我局将重点做好三项工作。一是加强A。推动A落地。二是加强B。",
            ["一是加强A。推动A落地。", "二是加强B。"],
        ),
        ("下一步，一是加强A。二是加强B。力争年底前完成。", ["一是加强A。", "二是加强B。力争年底前完成。"]),
        # Enumerated 第一，/ 1. / （1） inside the paragraph split like 一是 (ASCII and full-width too).
        (
            "下一步，我们将做好以下工作：第一，加快规划编制；第二，推进项目建设。",
            ["第一，加快规划编制；", "第二，推进项目建设。"],
        ),
        (
            "下一步，我局将抓好三方面工作：1.完善政策体系；2.加大资金投入；3.强化督促检查。",
            ["1.完善政策体系；", "2.加大资金投入；", "3.强化督促检查。"],
        ),
        ("下一步，我们将：（1）扩大试点；（2）总结经验。", ["（1）扩大试点；", "（2）总结经验。"]),
        ("下一步，我们将：(1)扩大试点;(2)总结经验。", ["(1)扩大试点;", "(2)总结经验。"]),
        ("下一步，我们将：１．扩大试点；２．总结经验。", ["１．扩大试点；", "２．总结经验。"]),
        # The enumeration that starts first wins; one nested in its clauses stays inside them.
        (
            "下一步，我们将：一是加强A，具体包括：1.甲；2.乙。二是加强B。",
            ["一是加强A，具体包括：1.甲；2.乙。", "二是加强B。"],
        ),
        # Numbers that are not enumerators: a decimal, an ordinal word, a list of numbers.
        ("下一步，我们将力争完成1.5万户改造任务。", ["我们将力争完成1.5万户改造任务。"]),
        ("下一步，我们将抓好第一批试点，第二季度完成验收。", ["我们将抓好第一批试点，第二季度完成验收。"]),
        ("下一步，我们将落实好第1、2项措施。", ["我们将落实好第1、2项措施。"]),
        ("近年来，我局第一，加强A；第二，加强B。", []),  # past work
        # The follow-up words may follow 同时，/ 此外，; 下阶段 is one of them.
        ("同时，下一步，我们将继续推进。", ["我们将继续推进。"]),
        ("此外，今后，我们将继续推进。", ["我们将继续推进。"]),
        ("下阶段，我们将继续推进。", ["我们将继续推进。"]),
        ("近年来我们做了很多。下一步，将继续推进。", ["将继续推进。"]),
        ("今后，我们将继续支持。", ["我们将继续支持。"]),
        ("今后一个时期，形势依然严峻。", []),
        ("我们统一是为了效率。", []),
        ("近年来，我局一是加强A，二是加强B。", []),  # past work, not a commitment
    ],
)
def test_find_commitments(paragraph, expected):
    assert find_commitments(paragraph) == expected
    for commitment in expected:
        assert commitment in paragraph


def test_document_number_and_signer_on_one_header_line():
    parsed = parse_letter("桂科函〔2020〕12号    签发人：张  三\n" + small_letter())
    assert (parsed.document_number, parsed.signed_by) == ("桂科函〔2020〕12号", "张三")


def test_opening_with_ascii_parenthesised_number_and_no_title_number():
    text = (
        small_letter()
        .replace("第123号提案答复的函", "提案答复的函")
        .replace("《关于加强管理的提案》", "《关于加强管理的提案》(第 456 号)")
    )
    parsed = parse_letter(text)
    assert parsed.number == "456"
    assert parsed.kind == "proposal"


# ------------------------------------------------- where a 下一步 belongs, and how it is enumerated

FUNDING_SECTION = (
    "一、关于加大数字经济财政金融支持的建议\n"
    "（一）关于设立数字经济发展专项资金\n"
    "2023年，市财政安排数字经济发展专项资金5000万元，支持数字化转型项目42个。\n"
    "（二）关于拓宽企业融资渠道\n"
    "我局联合人民银行市中心支行开展“数字贷”银企对接活动4场，促成融资3.6亿元。\n"
)
FUNDING_FACTS = [
    ["2023年，市财政安排数字经济发展专项资金5000万元，支持数字化转型项目42个。"],
    ["我局联合人民银行市中心支行开展“数字贷”银企对接活动4场，促成融资3.6亿元。"],
]
FUND_PROMISE = "我局将会同市财政局研究设立数字经济产业引导基金，进一步拓宽企业融资渠道。"


def parsed_body(body):
    """(ParsedLetter, its items as dicts) for a letter with this body; lines round-trip in order."""
    text = small_letter(body=body)
    parsed = parse_letter(text)
    assert render_lines(parsed) == printed_lines(text)
    items = parsed.to_dict()["items"]
    for item in all_items(items):  # what the import's model constraint demands
        for commitment in item["commitments"]:
            assert commitment in "\n".join(item["paragraphs"])
    return parsed, items


def test_a_numbered_follow_up_heading_stays_a_sub_section():
    body = FUNDING_SECTION + "（三）下一步工作打算\n下一步，" + FUND_PROMISE
    _parsed, items = parsed_body(body)
    section = items[0]
    assert [child["number"] for child in section["children"]] == ["（一）", "（二）", "（三）"]
    assert section["children"][2]["heading"] == "下一步工作打算"
    assert section["children"][2]["commitments"] == [FUND_PROMISE]
    assert section["paragraphs"] == [] and section["commitments"] == []


def test_seed_reads_as_before(seed):
    items = seed.to_dict()["items"]
    fifth = items[4]
    assert (fifth["paragraphs"], fifth["commitments"]) == ([], [])
    assert [len(child["paragraphs"]) for child in fifth["children"]] == [1, 1]
    assert fifth["children"][1]["paragraphs"][0].startswith("“优先采购”在政府采购领域是一项功能政策。")
    assert seed.commitments == [
        "一是对自治区各部门管理的创新平台进行优化整合。",
        "二是加强对自治区重点实验室、工程（技术）研究中心、科技资源共享服务平台等各类创新平台载体评估考核及结果运用。",
        "三是加大财政投入，推动战略性新兴产业高水平创新平台建设，实现获批更多国家级创新平台。",
        *(item["paragraphs"][1].removeprefix("下一步，") for item in items[1:4]),
    ]


def test_enumerations_inside_a_follow_up_split_but_numbered_lines_stay_sub_sections():
    body = (
        "一、关于加快社区养老服务设施建设的建议\n"
        "截至2023年底，全市已建成社区养老服务中心86个，覆盖率达到78%。\n"
        "下一步，我局将重点抓好三方面工作：1.加快街道综合养老服务中心建设；"
        "2.推进老旧小区适老化改造；3.完善社区养老服务设施运营补贴办法。\n"
        "二、关于加强养老护理人才队伍建设的建议\n"
        "我局会同市人社局将养老护理员纳入职业技能提升行动，2023年共培训1200人次。\n"
        "下一步，我们将重点推进以下工作：\n"
        "1.建立养老护理员薪酬待遇与技能等级挂钩机制\n"
        "（1）开展养老护理员职业技能等级认定\n"
        "2.落实一次性入职奖励\n"
        "对在养老机构连续从业满一年的人员给予奖励。\n"
    )
    _parsed, items = parsed_body(body)
    assert items[0]["commitments"] == [
        "1.加快街道综合养老服务中心建设；",
        "2.推进老旧小区适老化改造；",
        "3.完善社区养老服务设施运营补贴办法。",
    ]
    assert items[0]["children"] == []
    second = items[1]
    assert [child["number"] for child in second["children"]] == ["1.", "2."]
    assert [grandchild["number"] for grandchild in second["children"][0]["children"]] == ["（1）"]
    assert second["commitments"] == ["我们将重点推进以下工作："]  # the colon paragraph, as before


def test_an_enumerated_clause_runs_over_its_sentences_to_the_next_enumerator():
    body = (
        "一、关于加强农村供水工程管护的建议\n"
        "近年来，我县累计投入农村饮水安全巩固提升资金6200万元，新建和改造集中供水工程37处。\n"
        "下一步，我局将重点做好以下工作。一是落实工程管护责任。明确县级政府主体责任，"
        "推行“县级统管、乡镇协管、村级自管”模式。二是加强水质检测。每年对集中供水工程开展两次"
        "水质检测，检测结果向社会公开。三是加大资金投入，力争2024年争取上级资金2000万元以上。\n"
        "二、关于推进城乡供水一体化的建议\n"
        "我县已编制城乡供水一体化规划，明确了水源、管网和水厂布局。\n"
        "下一步，我们将：\n"
        "一是启动县城水厂扩建工程。2024年6月底前完成项目立项。\n"
        "二是分批实施管网延伸，逐步实现城乡供水同网同质。\n"
    )
    _parsed, items = parsed_body(body)
    assert items[0]["commitments"] == [
        "一是落实工程管护责任。明确县级政府主体责任，推行“县级统管、乡镇协管、村级自管”模式。",
        "二是加强水质检测。每年对集中供水工程开展两次水质检测，检测结果向社会公开。",
        "三是加大资金投入，力争2024年争取上级资金2000万元以上。",
    ]
    assert items[1]["commitments"] == [
        "一是启动县城水厂扩建工程。2024年6月底前完成项目立项。",
        "二是分批实施管网延伸，逐步实现城乡供水同网同质。",
    ]


# --------------------------------------------------------------------------- never raises

LETTER_LIKE_LINES = [
    "类别：B",
    "签发人：张三",
    "桂科函〔2020〕12号",
    "关于市政协十四届二次会议",
    "第123号提案答复的函",
    "张三委员：",
    "张三、李四代表:",
    "民盟市委会：",
    "您提出的《关于加强管理的建议》（第12号）收悉，现答复如下：",
    "由市政协提案委员会交由市科技局主办，市财政局会办。",
    "一、关于加强管理的建议",
    "（一）关于资金",
    "1.关于人才。我们已经培养了一批人才。",
    "近年来，我局做了很多工作。",
    "下一步，我局将：一是加强A；二是加强B。",
    "同时，下一步，我们将：第一，加强A。推动A落地。第二，加强B。",
    "下一步，我们将：1.加强A；2.加强B；(3)加强C。",
    "第一，",
    "一是",
    "二是继续推进。",
    "下一步，",
    "感谢您的关心和支持。",
    "欢迎继续提出宝贵意见。",
    "市科学技术局",
    "2023年10月16日",
    "二〇二三年十月十六日",
    "（此复函已经局长审签）",
    "联系人：王五",
    "联系电话：0771-1234567",
    "抄送：A、B，C",
    "办复类别：D",
    "— 2 —",
    "打印本页",
    "《",
    "》",
    "“",
    "：",
    "(",
    "（",
    "第号",
    "年月日",
]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text())
def test_random_text_never_raises(text):
    letter = parse_letter(text).to_dict()
    assert set(letter) == DICT_KEYS
    json.dumps(letter, ensure_ascii=False)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.sampled_from(LETTER_LIKE_LINES), st.text(max_size=20)), max_size=40))
def test_mixtures_of_letter_like_lines_never_raise(lines):
    parsed = parse_letter("\n".join(lines))
    letter = parsed.to_dict()
    assert set(letter) == DICT_KEYS
    for item in all_items(letter["items"]):
        assert set(item) == ITEM_KEYS
    json.dumps(letter, ensure_ascii=False)
    render_lines(parsed)
    if not parsed.is_letter:
        assert parsed.missing


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\n\t\u3000\n",
        "\x00\x01\x02\ud800\udfff\ufffe",
        bytes(range(256)).decode("latin-1"),
        "一、" * 5000,
        "下一步，" + "一是" * 3000,
        "张三委员：" * 2000,
    ],
)
def test_garbage_never_raises(text):
    parsed = parse_letter(text)
    assert set(parsed.to_dict()) == DICT_KEYS


def test_empty_input_says_why():
    parsed = parse_letter("")
    assert not parsed.is_letter
    assert parsed.missing == ["输入为空：没有可以识别的文字"]


def test_text_that_is_not_a_letter_is_reported_and_kept_as_unparsed():
    parsed = parse_letter("今天天气很好。\n我们去公园散步。")
    assert not parsed.is_letter
    assert parsed.missing and parsed.missing[0].startswith("未识别为答复函")
    assert parsed.unparsed == ["今天天气很好。", "我们去公园散步。"]


def test_a_huge_letter_parses_quickly():
    import time

    body = "\n".join(read(SEED).splitlines()[7:]) + "\n"
    text = read(SEED) + body * 200  # ~1.7 MB, ~5,000 lines
    started = time.perf_counter()
    parsed = parse_letter(text)
    assert time.perf_counter() - started < 10
    assert parsed.is_letter


# --------------------------------------------------------------------------- the command


@pytest.fixture
def call_parse_letter():
    if not os.environ.get("DJANGO_SETTINGS_MODULE"):
        pytest.skip("needs Django settings (run under pytest-django)")
    from django.core.management import call_command

    def run(path):
        output = io.StringIO()
        call_command("parse_letter", str(path), stdout=output)
        return json.loads(output.getvalue())

    return run


def test_command_prints_the_letter_as_json(call_parse_letter):
    letter = call_parse_letter(SEED)
    assert set(letter) == DICT_KEYS
    assert letter["number"] == "20200287"
    assert len(letter["commitments"]) == 6


def test_command_reads_docx(call_parse_letter, tmp_path):
    from responses.docx_letter import build_docx

    path = tmp_path / "letter.docx"
    path.write_bytes(build_docx(parse_letter(read(SEED)).to_dict()))
    assert call_parse_letter(path)["lead_department"] == "自治区科技厅"


def test_command_rejects_a_missing_file(call_parse_letter, tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="找不到文件.*File not found"):
        call_parse_letter(tmp_path / "nope.txt")


def test_command_rejects_a_file_that_is_not_utf8(call_parse_letter, tmp_path):
    from django.core.management.base import CommandError

    path = tmp_path / "gbk.txt"
    path.write_bytes("关于第1号提案的答复".encode("gbk"))
    with pytest.raises(CommandError, match="UTF-8"):
        call_parse_letter(path)


def test_command_rejects_a_broken_docx(call_parse_letter, tmp_path):
    from django.core.management.base import CommandError

    path = tmp_path / "broken.docx"
    path.write_bytes(b"not a zip")
    with pytest.raises(CommandError, match="Word.*docx"):
        call_parse_letter(path)


def test_a_bare_last_heading_above_the_date_stays_a_section():
    text = (
        "关于第1号提案答复的函\n张伟委员：\n您提出的《关于推进科技创新的提案》收悉，现答复如下：\n"
        "一、关于科技创新的建议\n2000年1月1日\n"
    )
    parsed = parse_letter(text).to_dict()
    assert [item["heading"] for item in parsed["items"]] == ["关于科技创新的建议"]
    assert parsed["issuer"] is None and parsed["date"] == "2000-01-01"
