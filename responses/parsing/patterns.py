"""The patterns and word lists the parser matches normalised lines against."""

import re

# --------------------------------------------------------------------------- patterns
# All patterns run on normalised text: Chinese punctuation, ASCII digits and letters.

_WHITESPACE_RE = re.compile(r"\s+")


def _spaced(*words):
    """An alternation of label words that also matches them letter-spaced (签 发 人, 抄　　送)."""
    ordered = sorted(words, key=len, reverse=True)  # 签发人 before 签发
    return "|".join(r"\s*".join(re.escape(char) for char in word) for word in ordered)


_CN_NUMERAL = "一二三四五六七八九十"

# (rank, pattern): a smaller rank is a higher level.
_HEADING_PATTERNS = (
    (1, re.compile(r"([一二三四五六七八九十]{1,3})\s*[、.]\s*")),
    (2, re.compile(r"（\s*([一二三四五六七八九十]{1,3})\s*）\s*")),
    (3, re.compile(r"(\d{1,2})\s*[、.](?!\d)\s*")),
    (4, re.compile(r"（\s*(\d{1,2})\s*）\s*")),
    (5, re.compile(r"([①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳])\s*")),
)
_HEADING_BREAK_RE = re.compile(r"[。！？：]")

# The colon may be missing (尊敬的张三、李四委员): then the line must end with the title.
_SALUTATION_RE = re.compile(
    r"(?:尊敬的)?\s*(?P<names>[^：，。！？；《》“”]{1,60}?)\s*(?P<title>委员|代表|同志|先生|女士)(?:们)?\s*(?:：|$)"
)
_SALUTATION_NAME_STOP_RE = re.compile(r"关于|如下|以下|答复|联系|抄送|抄报|下一步|类别|签发")
_ORGANISATION_SALUTATION_RE = re.compile(r"(?:尊敬的)?\s*(?P<name>[^：，。！？；《》“”]{2,30}?)\s*：$")
_NAME_SEPARATOR_RE = re.compile(r"[、，,；;/／]")
_NAME_ET_AL_RE = re.compile(r"等(?:\s*[\d一二三四五六七八九十]+\s*[位名人])?\s*$")

_OPENING_HINT_RE = re.compile(
    r"提出的|所提|领衔|收悉|答复如下|函复如下|现答复|现将.{0,20}答复|(?:您|你们|贵\S{0,3})在.{0,40}会议"
)
_ANSWER_FOLLOWS_RE = re.compile(r"如下\s*：$")

_TITLE_HINT_RE = re.compile(r"关于|提案|建议|答复|复函|回复|的函|议案")
_TITLE_END_RE = re.compile(r"(?:函|答复|复函|复文|回复|意见|办理情况)\s*$")

_SIGNER_KEYS = ("签发人", "签发", "领导签发", "签批人", "审签人")
_HEADER_KEY_RE = re.compile(
    "("
    + _spaced(
        "办复类别",
        "答复类别",
        "办理类别",
        "办理结果",
        "类别",
        *_SIGNER_KEYS,
        "发文字号",
        "文号",
        "公开属性",
        "公开方式",
        "公开类型",
        "密级",
        "紧急程度",
        "缓急",
    )
    + r")\s*："
)
_DOCUMENT_NUMBER_RE = re.compile(
    r"[\u4e00-\u9fff]{1,15}\s*[〔\[【（]\s*(?:19|20)\d{2}\s*[〕\]】）]\s*(?:第\s*)?\d{1,5}\s*号"
)
_CLASS_MARK_RE = re.compile(r"[【\[（]?\s*(?:办复类别|答复类别|类别)?\s*：?\s*([A-D])\s*类?\s*[】\]）]?")
_CLASS_LETTER_RE = re.compile(r"[A-Da-d]")

_NUMBER_RE = re.compile(r"第\s*(?P<number>[0-9A-Za-z][0-9A-Za-z.\-]*)\s*号")
# 27号提案 without 第: only when 提案 / 建议 follows, so 3号楼 or 2号文件 are not numbers.
_BARE_NUMBER_RE = re.compile(r"(?<![0-9A-Za-z.\-])(?P<number>\d[0-9.\-]*)\s*号\s*(?:提案|建议)")
_KIND_AFTER_NUMBER_RE = re.compile(r"号\s*(提案|建议)")
_QUOTED_RE = re.compile(r"《[^《》]*》|“[^“”]*”")

_SESSION_IN_OPENING_RE = re.compile(r"在\s*(?P<session>[^，。；、《》“”：\s]{2,40}?会议)(?:上|期间|中)?")
_SESSION_PREFIX_STRIP_RE = re.compile(r"^.*?(?:关于对|关于|对)\s*")
_SESSION_SUFFIX_STRIP_RE = re.compile(r"(?:上|期间|中)?(?:提出的|所提)?\s*$")

_PROPOSAL_TITLE_PATTERNS = (
    re.compile(r"《(?P<title>[^《》]{2,200})》"),
    re.compile(r"“(?P<title>关于[^“”]{2,200}|[^“”]{2,200}(?:建议|提案))”"),
    re.compile(r"(?:提出的|所提|领衔的)\s*“(?P<title>[^“”]{2,200})”"),
    # 《 printed without its 》: stop at the number in brackets, at 收悉, or at the sentence end.
    re.compile(r"《(?P<title>[^《》]{2,200}?)(?=\s*（\s*第|\s*第\s*\d+\s*号|已?收悉|。|，由|，经)"),
    # 》 printed without its 《.
    re.compile(r"(?:提出的|所提|领衔的)\s*(?P<title>关于[^《》“”]{2,200}?)》"),
    # No brackets at all.
    re.compile(
        r"(?:提出的|所提|领衔的)\s*(?P<title>关于[^《》“”。]{2,200}?的(?:提案|建议))(?=\s*[（，。]|已?收悉|$)"
    ),
)

_ASSIGNMENT_PATTERNS = (
    re.compile(
        r"由\s*(?P<by>[^，。；由□]{2,40}?)\s*(?:交由|转交|转由|交给|交)\s*(?P<lead>[^，。；、由□]{2,40}?)\s*"
        r"(?:主办|牵头办理|牵头|承办|办理)"
    ),
    re.compile(
        r"(?:^|[，。；])\s*(?:经\s*)?(?P<by>[^，。；由经□]{2,40}?)\s*(?:交由|转交|交)\s*"
        r"(?P<lead>[^，。；、由□]{2,40}?)\s*(?:主办|牵头办理|办理)"
    ),
    re.compile(r"由\s*(?P<lead>[^，。；、由□]{2,40}?)\s*会同\s*(?P<co>[^，。；□]{2,300}?)\s*(?:共同)?办理"),
    re.compile(r"由\s*(?P<lead>[^，。；、由□]{2,40}?)\s*(?:主办|牵头办理|牵头)"),
    re.compile(r"由\s*(?P<lead>[^，。；、由□]{2,40}?)\s*(?:负责)?(?:办理|承办)"),
)
_CO_DEPARTMENTS_RE = re.compile(
    r"\s*[，、]?\s*(?:并由|由|并)?\s*(?P<co>[^。；，□]{2,300}?)\s*(?:等单位|等部门|等)?\s*"
    r"(?:会办|协办|参办|配合办理|协助办理|配合)"
)
_UNIT_LIST_SEPARATOR_RE = re.compile(r"[、，；;,]+")
_SELF_REFERENCE_RE = re.compile(r"^(?:我|本)(?:局|厅|委|办|院|部|单位|司|会|中心|处|室|馆|社)$")

_ARABIC_DATE = r"(?P<year>(?:19|20)\d{2})\s*年\s*(?P<month>\d{1,2})\s*月\s*(?P<day>\d{1,2})\s*日"
_CHINESE_DATE = (
    r"(?P<cyear>[〇零○OＯ0一二三四五六七八九]{4})\s*年\s*(?P<cmonth>[一二三四五六七八九十]{1,3})\s*月\s*"
    r"(?P<cday>[一二三四五六七八九十]{1,3})\s*日"
)
_NUMERIC_DATE = r"(?P<nyear>(?:19|20)\d{2})\s*[-./]\s*(?P<nmonth>\d{1,2})\s*[-./]\s*(?P<nday>\d{1,2})"
_DATE_LINE_RE = re.compile(
    r"(?:(?:日期|时间)\s*：\s*)?(?P<prefix>.*?)\s*"
    rf"(?:{_ARABIC_DATE}|{_CHINESE_DATE}|{_NUMERIC_DATE})\s*(?P<imprint>印发|发)?\s*$"
)
_CN_DIGIT_VALUE = {
    "〇": 0,
    "零": 0,
    "○": 0,
    "O": 0,
    "Ｏ": 0,
    "0": 0,
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}

# One label for unit, person and phone together: 联系单位、联系人及电话 / 联系人及电话 / 承办人和电话.
_COMBINED_CONTACT_KEY = (
    r"(?:(?:联系|承办|经办)?(?:单位|部门)\s*[、和及与]\s*)?(?:联系人|经办人|承办人)\s*[、和及与]?\s*"
    r"(?:联系)?(?:电话|方式)"
)
_CONTACT_KEY_RE = re.compile(
    "("
    + _COMBINED_CONTACT_KEY
    + "|"
    + _spaced(
        "联系单位",
        "联系部门",
        "联系人",
        "经办人",
        "承办人",
        "联系电话",
        "办公电话",
        "电话",
        "手机",
        "邮政编码",
        "邮编",
        "联系地址",
        "通讯地址",
        "地址",
        "传真",
        "电子邮箱",
        "邮箱",
    )
    + r")\s*："
)
_COMBINED_CONTACT_KEY_RE = re.compile(_COMBINED_CONTACT_KEY)
# A phone number: an area code and a number joined by -, —, ─ or nothing, or a mobile number.
_PHONE_RE = re.compile(
    r"(?<!\d)(?:1[3-9]\d{9}|(?:（?0\d{2,3}）?\s*[-—–─]{0,2}\s*)?\d{7,8}(?:\s*[-—–─]\s*\d{1,5})?)(?!\d)"
)
_CONTACT_FIELD_OF_KEY = {
    "联系单位": "unit",
    "联系部门": "unit",
    "联系人": "person",
    "经办人": "person",
    "承办人": "person",
    "联系电话": "phone",
    "办公电话": "phone",
    "电话": "phone",
    "手机": "phone",
    "邮政编码": "postcode",
    "邮编": "postcode",
}
_COPIES_RE = re.compile("(" + _spaced("抄送", "抄报", "分送", "抄发") + r")\s*：")
_ATTACHMENT_RE = re.compile("(?:" + _spaced("附件") + r")\s*(?:：|\d|$)")
_PAGE_DATE_RE = re.compile(r"(?P<y>(?:19|20)\d{2})\s*[-./年]\s*(?P<m>\d{1,2})\s*[-./月]\s*(?P<d>\d{1,2})")
_SOURCE_HINT_RE = re.compile(r"(?:来源|信息来源|发布机构)\s*：\s*(?P<unit>[^\s：]{2,40})")
_COPY_LIST_SEPARATOR_RE = re.compile(r"[、，；,;\s]+")
_REVIEW_NOTE_RE = re.compile(
    r"[（【]?\s*(?:此|本)(?:复函|答复函|答复|件|函|文)?\s*(?:已经|已|经)[^。]{0,40}?(?:审签|签发|审定|审核|审批)"
)
_DISCLOSURE_RE = re.compile(
    r"[【（]?\s*(?:此件|本件|此函|本函|此复函|本复函|此答复|本答复)?\s*"
    r"(?:公开发布|主动公开|依申请公开|不予公开|不公开|同意公开|可以公开|删减后公开)\s*[）】]?\s*$"
)
_PAGE_NUMBER_RE = re.compile(
    r"(?:[—\-–─]{1,2}\s*\d{1,3}\s*[—\-–─]{1,2}|第\s*\d{1,3}\s*页(?:\s*[，/]?\s*共\s*\d{1,3}\s*页)?)$"
)
_SEAL_RE = re.compile(r"[（【]\s*(?:公章|盖章|印章|章)\s*[）】]$")
_NOISE_RE = re.compile(
    r"[【\[]?\s*(?:发布时间|发布日期|发布机构|来源|信息来源|文章来源|浏览次数|阅读次数|访问量|点击数|点击量|字号|字体|"
    r"打印本页|打印|关闭窗口|关闭|分享到|分享|索引号|主题分类|成文日期|生效日期|扫一扫|当前位置|您当前的位置|首页|"
    r"返回顶部|上一篇|下一篇|相关链接|责任编辑|附件下载)\s*(?:[：】\]>»|]|$|\s)"
)
_UNIT_SUFFIXES = (
    "厅",
    "局",
    "委",
    "委员会",
    "办公室",
    "办公厅",
    "办",
    "政府",
    "部",
    "院",
    "中心",
    "公司",
    "会",
    "处",
    "署",
    "所",
    "站",
    "馆",
    "集团",
    "社",
    "行",
    "队",
    "校",
    "党组",
    "党委",
)
_NOT_IN_UNIT_RE = re.compile(r"[，。；！？：《》“”]")

_CLOSING_RE = re.compile(
    r"(?:最后\s*[，：]?\s*)?(?:再次|衷心|非常|十分|诚挚|真诚|由衷)?(?:地)?"
    r"(?:感谢|谢谢|欢迎|希望(?:您|你们)|敬请|恳请|诚请|请(?:您|你们)?(?:继续|多提)|特此|专此|此复|顺致|期待|"
    r"以上答复|如有不妥|如有疑问)"
)
_CLOSING_ANYWHERE_RE = re.compile(r"(?:感谢|欢迎).{0,40}(?:关心|关注|支持|指导|监督|意见|建议)")
_CLOSING_MAX_LENGTH = 160

# 同时，/此外， may stand before the lead: 同时，下一步，我们将……
_FOLLOW_UP_PREFIX = r"(?:(?:同时|此外|另外)\s*，\s*)?"
_COMMITMENT_LEAD_RE = re.compile(
    _FOLLOW_UP_PREFIX + r"(?:(?:下一步|下步|下一阶段|下阶段|接下来)(?:\s*工作中)?\s*[，：]?\s*"
    r"|今后(?:\s*工作中)?\s*[，：]\s*)"
)
_COMMITMENT_MIDWAY_RE = re.compile(r"(?<=[。；！？])\s*" + _FOLLOW_UP_PREFIX + r"(?:下一步|下步)\s*[，：]\s*")

# Enumerations of commitments, one pattern per ordinal (the first, the second, …), each anchored at
# the start of a clause. `_ENUMERATION_STYLES` pairs each style with the number of markers a
# paragraph needs before it counts as an enumeration: a lone 一是 is one, but a lone 第一， or 1.
# is too weak a sign. 1. and （1） never start a paragraph here: a line that does is a heading.
_CLAUSE_START = r"(?:^|(?<=[。；：，、！？\s]))"
_LIST_CLAUSE_START = r"(?:^|(?<=[。；：，！？\s]))"  # not after 、: 1、2号线 is not a list
_ENUMERATION_RES = tuple(re.compile(_CLAUSE_START + numeral + "是") for numeral in _CN_NUMERAL)
_ENUMERATION_STYLES = (
    (_ENUMERATION_RES, 1),
    (tuple(re.compile(_LIST_CLAUSE_START + "第" + numeral + r"\s*[，、：]") for numeral in _CN_NUMERAL), 2),
    (tuple(re.compile(_LIST_CLAUSE_START + f"{number}" + r"\s*[.、](?!\d)") for number in range(1, 11)), 2),
    (tuple(re.compile(_LIST_CLAUSE_START + rf"（\s*{number}\s*）") for number in range(1, 11)), 2),
)
# A paragraph of the list a colon-ended 下一步 paragraph introduced starts with 一是 or 第一，.
_ENUMERATION_START_RE = re.compile(
    r"(?P<shi>[一二三四五六七八九十])是|第\s*(?P<di>[一二三四五六七八九十])\s*[，、：]"
)
_SENTENCE_TERMINALS = "。！？；：!?;:"

# Commitments without 下一步: a sentence of an item's last paragraph that starts by promising
# (我局将…, 拟…, 计划…, 争取…). 已… / 已经… / 已于… reports what was done and never promises.
_PROMISING_SUBJECT = r"(?:(?:我|本)[\u4e00-\u9fff]{1,2}|我们|市政府|县政府|区政府|省政府)"
_PROMISE = r"\s*(?:还|也|将继续|继续)?\s*(?:将|拟|计划|争取|力争|准备|打算)(?!来|近|要求)"
_FORWARD_SENTENCE_RE = re.compile(
    r"(?:(?:同时|此外|另外|今后|今年|明年|下半年)\s*，\s*)?" + _PROMISING_SUBJECT + "?" + _PROMISE
)
# Later in a sentence (经研究，…，我们将继续…) a promise needs its subject: a bare 将 there is
# usually reported speech (方案要求…，将逐步…).
_FORWARD_CLAUSE_RE = re.compile(r"(?<=，)\s*" + _PROMISING_SUBJECT + _PROMISE)
_PAST_MARKER_RE = re.compile(r"已|曾|业已")
_SENTENCE_RE = re.compile(r"[^。！？；]+[。！？；]?")

# Hard-wrapped text: a line this close (in columns) to the common full width continues below.
_WRAP_SLACK = 4
_WRAP_MAX_WIDTH = 120
_WRAP_MIN_WIDTH = 24

_MISSING_MESSAGES = {
    "title": "未找到标题（如：关于…第N号提案答复的函）",
    "salutation": "未找到称呼（如：张三委员：）",
    "number": "未找到提案/建议编号（如：第20200287号）",
    "session": "未找到届次会议（如：自治区政协十二届三次会议）",
    "proposal_title": "未找到提案标题（如：《关于…的建议》）",
    "opening": "未找到开头段（如：您提出的…现答复如下：）",
    "lead_department": "未找到主办单位（如：由…交由…主办）",
    "items": "未找到正文（如：一、关于…的建议）",
    "commitments": "未找到“下一步”承诺",
    "closing": "未找到结束语（如：感谢您对…的关心和支持）",
    "result_class": "未找到办复类别（如：类别：B 或 办复类别：B）",
    "document_number": "未找到文号（如：桂科函〔2020〕12号）",
    "signed_by": "未找到签发人（如：签发人：张三）",
    "issuer": "未找到落款单位",
    "date": "未找到日期（如：2023年10月16日）",
    "contact": "未找到联系方式（联系单位/联系人/联系电话/邮政编码）",
}
_NOT_A_LETTER = "未识别为答复函：没有找到标题、称呼或开头段（如：您提出的…收悉）"
_EMPTY_INPUT = "输入为空：没有可以识别的文字"
