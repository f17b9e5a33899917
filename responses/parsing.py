"""Read the structure of a reply letter (答复函) from its plain text.

`parse_letter(text)` accepts the text however it was copied (a web page, Word, a PDF) and returns a
`ParsedLetter`: header fields (类别 / 签发人 / 文号), the title, the addressees, the opening with
the proposal's title and its assignment (由…交由…主办，…会办), the numbered sections and their
下一步 commitments, the closing, the sign-off, the contact block and the copy list.

How the text is read
--------------------
Every line is stripped; empty lines carry no meaning (letters are copied both with and without
blank lines between paragraphs). Matching happens on a *normalised* copy of each line in which
full-width digits and letters become ASCII and ASCII punctuation becomes the Chinese full-width
form (`:` → `：`, `(` → `（`, …). The mapping is one character to one character, so a match found
on the normalised line is sliced out of the printed line: every text the parser returns
(paragraphs, headings, commitments) is printed text, never normalised text.

The letter is then cut into zones:

* *front*: everything before the salutation — header fields, the title (possibly wrapped over
  several lines or repeated, as web pages do), and web-page chrome, which goes to `unparsed`;
* *body*: opening, sections, closing;
* *trailer*: found by walking back from the end over lines that are recognisably not prose —
  sign-off unit, date, review note, contact block, copies, a class mark (办复类别：B), seals.

Decisions a reader would otherwise guess
----------------------------------------
* A letter without numbered sections gets a single item whose `number` and `heading` are ""
  holding the body paragraphs, so commitments always belong to an item; `items` is [] only when
  there is no body at all.
* Section labels are ranked 一、 > （一） > 1. > （1） > ①; a label becomes a child of the nearest
  open section of a higher rank, so a letter numbered only with （一） or 1. still gets top-level
  items.
* A heading line that carries prose after its first 。 (``一、加强统筹。我局……``) is split:
  the heading is the text before the 。 and the rest becomes the item's first paragraph.
* A lead department printed as 我局 / 我厅 / 本委 … is replaced by the sign-off unit when the
  letter has one.
* `signed_by` comes only from a 签发人 field; a review note (此复函已经…审签) is kept verbatim in
  `review_note` and not mined for a name.
* `kind` comes from the letter's own words: 第N号提案 / 第N号建议 in the title, else 提案 or 建议
  outside quotation marks in the title, then in the opening, else "proposal" when the quoted
  proposal title ends in 提案. It is never guessed from 委员 / 代表: the seed letter calls its
  CPPCC proposer 代表.
* PDF page footers (— 2 —, 第2页) are dropped wherever they fall and listed in `unparsed`.
* Hard-wrapped text (PDF copies, where every line stops at the same width) is re-joined into
  paragraphs before anything else; `render_lines` then returns the joined paragraphs.

See `find_commitments` for how commitments are cut out of the 下一步 paragraphs.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

# --------------------------------------------------------------------------- normalisation


def _build_normalisation_table():
    table = {}
    for offset in range(10):
        table[0xFF10 + offset] = ord("0") + offset
    for offset in range(26):
        table[0xFF21 + offset] = ord("A") + offset
        table[0xFF41 + offset] = ord("a") + offset
    ascii_to_chinese = {":": "：", "(": "（", ")": "）", ",": "，", ";": "；", "!": "！", "?": "？"}
    for ascii_char, chinese_char in ascii_to_chinese.items():
        table[ord(ascii_char)] = chinese_char
    others = {"．": ".", "－": "-", "／": "/", "［": "[", "］": "]", "\u3000": " ", "\xa0": " ", "\t": " "}
    for source, target in others.items():
        table[ord(source)] = target
    return table


_NORMALISE = _build_normalisation_table()

# Characters str.strip() does not treat as whitespace but that copy-paste leaves around lines.
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"

# A CJK (or other wide) character takes two columns; used to spot hard-wrapped lines.
_WIDE_FROM = 0x2E80


class _Line:
    """One non-empty printed line, with its normalised twin of the same length."""

    __slots__ = ("raw", "norm")

    def __init__(self, raw):
        self.raw = raw
        self.norm = raw.translate(_NORMALISE)

    def __repr__(self):
        return f"_Line({self.raw!r})"


def _clean(line):
    return line.strip().strip(_INVISIBLE).strip()


def _split_lines(text):
    lines = []
    for physical_line in text.splitlines():
        cleaned = _clean(physical_line)
        if cleaned:
            lines.append(_Line(cleaned))
    return lines


def _display_width(text):
    return sum(2 if ord(char) >= _WIDE_FROM else 1 for char in text)


def _squeeze(text):
    """Remove all whitespace: names and units are printed with spaces for alignment (张  三)."""
    return _WHITESPACE_RE.sub("", text)


# --------------------------------------------------------------------------- patterns
# All patterns run on normalised text: Chinese punctuation, ASCII digits and letters.

_WHITESPACE_RE = re.compile(r"\s+")
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

_SALUTATION_RE = re.compile(
    r"(?:尊敬的)?\s*(?P<names>[^：，。！？；《》“”]{1,60}?)\s*(?P<title>委员|代表|同志|先生|女士)(?:们)?\s*："
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

_HEADER_KEY_RE = re.compile(
    r"(办复类别|答复类别|办理类别|办理结果|类别|签发人|发文字号|文号|公开属性|公开方式|公开类型|密级|紧急程度|缓急)"
    r"\s*："
)
_DOCUMENT_NUMBER_RE = re.compile(
    r"[\u4e00-\u9fff]{1,15}\s*[〔\[【（]\s*(?:19|20)\d{2}\s*[〕\]】）]\s*(?:第\s*)?\d{1,5}\s*号"
)
_CLASS_MARK_RE = re.compile(r"[【\[（]?\s*(?:办复类别|答复类别|类别)?\s*：?\s*([A-D])\s*类?\s*[】\]）]?")
_CLASS_LETTER_RE = re.compile(r"[A-Da-d]")

_NUMBER_RE = re.compile(r"第\s*(?P<number>[0-9A-Za-z][0-9A-Za-z.\-]*)\s*号")
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

_CONTACT_KEY_RE = re.compile(
    r"(联系单位|联系部门|联系人|经办人|联系电话|办公电话|电话|手机|邮政编码|邮编|联系地址|通讯地址|地址|传真|电子邮箱|邮箱)"
    r"\s*："
)
_CONTACT_FIELD_OF_KEY = {
    "联系单位": "unit",
    "联系部门": "unit",
    "联系人": "person",
    "经办人": "person",
    "联系电话": "phone",
    "办公电话": "phone",
    "电话": "phone",
    "手机": "phone",
    "邮政编码": "postcode",
    "邮编": "postcode",
}
_COPIES_RE = re.compile(r"(抄送|抄报|分送)\s*：")
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

_COMMITMENT_LEAD_RE = re.compile(
    r"(?:下一步|下步|下一阶段|接下来)(?:\s*工作中)?\s*[，：]?\s*|今后(?:\s*工作中)?\s*[，：]\s*"
)
_COMMITMENT_MIDWAY_RE = re.compile(r"(?<=[。；！？])\s*(?:下一步|下步)\s*[，：]\s*")
_ENUMERATION_RES = tuple(
    re.compile(r"(?:^|(?<=[。；：，、！？\s]))" + numeral + "是") for numeral in _CN_NUMERAL
)
_ENUMERATION_START_RE = re.compile(r"[一二三四五六七八九十]是")
_SENTENCE_END_RE = re.compile(r"[。！？]")
_SENTENCE_TERMINALS = "。！？；：!?;:"

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


# --------------------------------------------------------------------------- result types


@dataclass
class Contact:
    unit: str | None = None
    person: str | None = None
    phone: str | None = None
    postcode: str | None = None

    def to_dict(self):
        return {"unit": self.unit, "person": self.person, "phone": self.phone, "postcode": self.postcode}


@dataclass
class LetterItem:
    """A numbered section (一、) or sub-section (（一）) of the letter's body."""

    number: str = ""
    heading: str = ""
    paragraphs: list[str] = field(default_factory=list)
    children: list[LetterItem] = field(default_factory=list)
    commitments: list[str] = field(default_factory=list)
    # Printing details kept only so render_lines can rebuild the line exactly.
    printed_label: str = field(default="", repr=False, compare=False)
    heading_end: str = field(default="", repr=False, compare=False)
    run_in: bool = field(default=False, repr=False, compare=False)
    rank: int = field(default=0, repr=False, compare=False)

    def to_dict(self):
        return {
            "number": self.number,
            "heading": self.heading,
            "paragraphs": list(self.paragraphs),
            "children": [child.to_dict() for child in self.children],
            "commitments": list(self.commitments),
        }

    def all_commitments(self):
        """This item's commitments, then its children's, in reading order."""
        found = list(self.commitments)
        for child in self.children:
            found.extend(child.all_commitments())
        return found


@dataclass
class ParsedLetter:
    kind: str | None = None
    number: str | None = None
    session: str | None = None
    addressees: list[str] = field(default_factory=list)
    addressee_title: str | None = None
    proposal_title: str | None = None
    result_class: str | None = None
    document_number: str | None = None
    signed_by: str | None = None
    issuer: str | None = None
    date: str | None = None
    contact: Contact | None = None
    copied_to: list[str] = field(default_factory=list)
    assigned_by: str | None = None
    lead_department: str | None = None
    co_departments: list[str] = field(default_factory=list)
    items: list[LetterItem] = field(default_factory=list)
    closing_paragraphs: list[str] = field(default_factory=list)
    unparsed: list[str] = field(default_factory=list)
    title_lines: list[str] = field(default_factory=list)
    salutation: str | None = None
    opening: list[str] = field(default_factory=list)
    review_note: str | None = None
    missing: list[str] = field(default_factory=list)
    is_letter: bool = False
    # (role, printed line) before the salutation and after the body, in printed order.
    front_lines: list[tuple[str, str]] = field(default_factory=list, repr=False)
    trailer_lines: list[tuple[str, str]] = field(default_factory=list, repr=False)
    # True when the opening's first paragraph was printed on the salutation's line.
    salutation_inline: bool = field(default=False, repr=False)

    @property
    def closing(self):
        return "\n".join(self.closing_paragraphs) or None

    @property
    def commitments(self):
        found = []
        for item in self.items:
            found.extend(item.all_commitments())
        return found

    def to_dict(self):
        return {
            "kind": self.kind,
            "number": self.number,
            "session": self.session,
            "addressees": list(self.addressees),
            "addressee_title": self.addressee_title,
            "proposal_title": self.proposal_title,
            "result_class": self.result_class,
            "document_number": self.document_number,
            "signed_by": self.signed_by,
            "issuer": self.issuer,
            "date": self.date,
            "contact": self.contact.to_dict() if self.contact else None,
            "copied_to": list(self.copied_to),
            "assigned_by": self.assigned_by,
            "lead_department": self.lead_department,
            "co_departments": list(self.co_departments),
            "items": [item.to_dict() for item in self.items],
            "commitments": self.commitments,
            "closing": self.closing,
            "unparsed": list(self.unparsed),
        }


# --------------------------------------------------------------------------- entry points


def parse_letter(text):
    """Parse the plain text of a reply letter. Never raises; see the module docstring."""
    if not isinstance(text, str):
        text = text.decode("utf-8", "replace") if isinstance(text, bytes | bytearray) else ""
    try:
        return _parse(text)
    except Exception as error:  # noqa: BLE001 - the promise is "never raises"; report instead
        letter = ParsedLetter()
        try:
            letter.unparsed = [line.raw for line in _split_lines(text)]
        except Exception:  # noqa: BLE001
            letter.unparsed = []
        letter.missing = [f"解析出错（{type(error).__name__}），全文列为未识别内容"]
        return letter


def render_lines(parsed):
    """Rebuild the letter's non-empty lines, in printed order, from a ParsedLetter.

    Unrecognised lines come back where they stood in the front and trailer zones. Lines that the
    parser re-joined (hard-wrapped PDF text) come back joined.
    """
    if not parsed.is_letter:
        return list(parsed.unparsed)
    lines = [text for _role, text in parsed.front_lines] or list(parsed.title_lines)
    opening = list(parsed.opening)
    if parsed.salutation:
        if parsed.salutation_inline and opening:
            lines.append(parsed.salutation + opening.pop(0))
        else:
            lines.append(parsed.salutation)
    lines.extend(opening)
    for item in parsed.items:
        lines.extend(_render_item(item))
    lines.extend(parsed.closing_paragraphs)
    lines.extend(text for _role, text in parsed.trailer_lines)
    return lines


def _render_item(item):
    lines = []
    paragraphs = list(item.paragraphs)
    if item.number or item.heading:
        heading_line = (item.printed_label or item.number) + item.heading + item.heading_end
        if item.run_in and paragraphs:
            heading_line += paragraphs.pop(0)
        lines.append(heading_line)
    lines.extend(paragraphs)
    for child in item.children:
        lines.extend(_render_item(child))
    return lines


def read_docx_text(file):
    """Return the text of a .docx (a path or a binary file object): one line per paragraph.

    Tables are read in place, one line per row with the cells separated by two spaces, because
    some offices lay the header (类别 / 签发人 / 文号) out in a table. Raises ValueError with a
    bilingual message when the file is not a readable Word document.
    """
    import docx  # imported here: only Word uploads need python-docx

    try:
        document = docx.Document(file)
    except Exception as error:  # python-docx raises several unrelated types for a bad file
        raise ValueError(f"无法读取 Word 文件 / Cannot read the .docx file: {error}") from error
    lines = []
    for block in document.iter_inner_content():
        if hasattr(block, "rows"):
            for row in block.rows:
                seen_cells = []
                for cell in row.cells:
                    if cell._tc not in seen_cells:  # merged cells repeat
                        seen_cells.append(cell._tc)
                lines.append("  ".join(_cell_text(cell) for cell in seen_cells))
        else:
            lines.append(block.text)
    return "\n".join(lines)


def _cell_text(cell_element):
    from docx.table import _Cell

    return _Cell(cell_element, None).text


# --------------------------------------------------------------------------- the parse


def _parse(text):
    lines = _split_lines(text)
    letter = ParsedLetter()
    if not lines:
        letter.missing = [_EMPTY_INPUT]
        return letter
    page_numbers = [line.raw for line in lines if _PAGE_NUMBER_RE.match(line.norm)]
    if page_numbers:  # PDF page footers (— 2 —) fall anywhere, even inside a paragraph
        lines = [line for line in lines if not _PAGE_NUMBER_RE.match(line.norm)]
    lines = _join_hard_wrapped(lines)

    salutation_index = _find_salutation(lines, letter)
    if salutation_index is None:
        body_start = _find_body_start(lines)
        front = lines[:body_start]
    else:
        front = lines[:salutation_index]
        body_start = salutation_index + 1
        if letter.salutation_inline:
            lines = lines[:body_start] + [_Line(letter.opening.pop())] + lines[body_start:]

    _read_front(front, letter)
    trailer_start = _read_trailer(lines, body_start, letter)
    closing_start = _find_closing_start(lines, body_start, trailer_start)
    letter.closing_paragraphs = [line.raw for line in lines[closing_start:trailer_start]]
    _read_body(lines[body_start:closing_start], letter)

    _read_opening_facts(letter)
    if letter.kind is None and letter.proposal_title and letter.proposal_title.endswith("提案"):
        # Only a title ending in 提案 tells: proposals are often titled "关于…的建议" themselves.
        letter.kind = "proposal"
    _resolve_self_reference(letter)
    letter.is_letter = _looks_like_letter(letter)
    if not letter.is_letter:
        return ParsedLetter(unparsed=[line.raw for line in lines] + page_numbers, missing=[_NOT_A_LETTER])
    letter.missing = _missing_parts(letter)
    letter.unparsed.extend(page_numbers)
    return letter


# ------------------------------------------------------------------ hard-wrapped (PDF) text


def _join_hard_wrapped(lines):
    """Re-join paragraphs that a PDF copy broke at a fixed width.

    Only when at least three prose lines stop within a couple of characters of the same width
    without ending a sentence; web and Word copies have one line per paragraph and never do.
    """
    widths = [_display_width(line.raw) for line in lines]
    unterminated = sum(
        1
        for line, width in zip(lines, widths, strict=True)
        if _WRAP_MIN_WIDTH - _WRAP_SLACK <= width <= _WRAP_MAX_WIDTH and not _ends_sentence(line.norm)
    )
    if unterminated < 3:  # the common case, decided without the costlier prose test
        return lines
    prose = [_is_prose(line) for line in lines]
    prose_widths = sorted(
        (width for width, is_prose in zip(widths, prose, strict=True) if is_prose), reverse=True
    )
    if len(prose_widths) < 3:
        return lines
    full_width = prose_widths[2]
    if not _WRAP_MIN_WIDTH <= full_width <= _WRAP_MAX_WIDTH:
        return lines
    wrapped = sum(
        1
        for index, line in enumerate(lines[:-1])
        if prose[index] and widths[index] >= full_width - _WRAP_SLACK and not _ends_sentence(line.norm)
    )
    if wrapped < 3 or wrapped * 4 < len(prose_widths):
        return lines

    joined = []
    continues = False
    for index, line in enumerate(lines):
        if continues and not _starts_new_block(line):
            joined[-1] = _Line(joined[-1].raw + line.raw)
        else:
            joined.append(line)
        continues = (
            (prose[index] or continues)
            and widths[index] >= full_width - _WRAP_SLACK
            and not _ends_sentence(line.norm)
        )
    return joined


def _is_prose(line):
    return not (_heading_match(line.norm) or _header_fields(line) or _trailer_role(line))


def _starts_new_block(line):
    return bool(_heading_match(line.norm) or _salutation_match(line.norm) or _trailer_role(line))


def _ends_sentence(norm):
    if not norm:
        return True
    last = norm[-1]
    if last in "”’" and len(norm) > 1:
        last = norm[-2]
    return last in _SENTENCE_TERMINALS


# ------------------------------------------------------------------ salutation


def _salutation_match(norm):
    if len(norm) > 400:
        norm = norm[:400]
    match = _SALUTATION_RE.match(norm)
    if not match or _SALUTATION_NAME_STOP_RE.search(match.group("names")):
        return None
    return match


def _find_salutation(lines, letter):
    """Find the salutation line before the first section heading; fill the salutation fields.

    Returns its index, or None. A salutation followed by text on the same line (web copies) is
    split: the text becomes the first opening paragraph.
    """
    for index, line in enumerate(lines):
        if _heading_match(line.norm):
            break
        match = _salutation_match(line.norm)
        if match:
            names_raw = line.raw[match.start("names") : match.end("names")]
            letter.addressees = _split_names(names_raw)
            letter.addressee_title = match.group("title")
            rest = line.raw[match.end() :].strip()
            letter.salutation = line.raw[: match.end()].rstrip() if rest else line.raw
            if rest:
                letter.salutation_inline = True
                letter.opening = [rest]
            return index
        if _is_organisation_salutation(lines, index):
            name = _ORGANISATION_SALUTATION_RE.match(line.norm).group("name")
            start = line.norm.index(name)
            letter.addressees = [_squeeze(line.raw[start : start + len(name)])]
            letter.salutation = line.raw
            return index
    return None


def _is_organisation_salutation(lines, index):
    """A short 'name：' line (民盟市委会：) right before an opening paragraph."""
    line = lines[index]
    if len(line.norm) > 32 or not _ORGANISATION_SALUTATION_RE.match(line.norm):
        return False
    if _SALUTATION_NAME_STOP_RE.search(line.norm) or _header_fields(line) or _trailer_role(line):
        return False
    if "如下" in line.norm or "以下" in line.norm:
        return False
    following = lines[index + 1] if index + 1 < len(lines) else None
    return following is not None and bool(_OPENING_HINT_RE.search(following.norm))


def _split_names(names_raw):
    names_raw = _NAME_ET_AL_RE.sub("", names_raw.translate(_NORMALISE).strip())
    names = []
    for part in _NAME_SEPARATOR_RE.split(names_raw):
        name = _squeeze(part)
        if name:
            names.append(name)
    return names


def _find_body_start(lines):
    """Without a salutation, the body starts at the first opening-like, heading or prose line."""
    for index, line in enumerate(lines):
        if _heading_match(line.norm) or _OPENING_HINT_RE.search(line.norm):
            return index
        if "。" in line.norm and len(line.norm) > 40:
            return index
    return len(lines)


# ------------------------------------------------------------------ front zone


def _header_fields(line):
    """[(key, printed value)] when the line is a header line (类别：B　签发人：张三 / a 文号)."""
    norm = line.norm.lstrip("【[")
    offset = len(line.norm) - len(norm)
    fields = []
    number_match = _DOCUMENT_NUMBER_RE.match(norm)
    if number_match:
        fields.append(("文号", line.raw[offset : offset + number_match.end()].strip()))
        norm_rest_start = number_match.end()
    else:
        norm_rest_start = 0
    rest = norm[norm_rest_start:]
    rest_offset = offset + norm_rest_start + (len(rest) - len(rest.lstrip()))
    rest = rest.lstrip()
    if rest and not _HEADER_KEY_RE.match(rest):
        return []
    fields.extend(_scan_fields(line.raw[rest_offset:], rest, _HEADER_KEY_RE))
    return fields


def _scan_fields(raw, norm, key_re):
    """Split 'key：value key：value' text into [(key, printed value)] in order."""
    matches = list(key_re.finditer(norm))
    fields = []
    for position, match in enumerate(matches):
        end = matches[position + 1].start() if position + 1 < len(matches) else len(norm)
        value = raw[match.end() : end].strip().strip("，,；;。、】）)").strip()
        fields.append((match.group(1), value))
    return fields


def _apply_header_fields(fields, letter):
    for key, value in fields:
        if key.endswith("类别") or key == "办理结果":
            letter.result_class = letter.result_class or _class_letter(value)
        elif key == "签发人":
            letter.signed_by = letter.signed_by or (_squeeze(value) or None)
        elif key in ("文号", "发文字号"):
            letter.document_number = letter.document_number or (value or None)


def _class_letter(value):
    match = _CLASS_LETTER_RE.search(value.translate(_NORMALISE))
    return match.group(0).upper() if match else None


def _class_mark(line):
    if len(line.norm) > 16:
        return None
    match = _CLASS_MARK_RE.fullmatch(line.norm)
    return match.group(1) if match else None


def _read_front(front, letter):
    """Classify the lines before the salutation: header fields, title lines, chrome."""
    roles = []
    previous_title_open = False
    for line in front:
        fields = _header_fields(line)
        if fields:
            _apply_header_fields(fields, letter)
            roles.append("header")
            previous_title_open = False
        elif _class_mark(line):
            letter.result_class = letter.result_class or _class_mark(line)
            roles.append("header")
            previous_title_open = False
        elif _NOISE_RE.match(line.norm):
            roles.append("noise")
            previous_title_open = False
        elif _is_title_line(line, previous_title_open):
            roles.append("title")
            previous_title_open = not _TITLE_END_RE.search(line.norm)
        else:
            roles.append("unparsed")
            previous_title_open = False

    title_indices = _choose_title(front, roles)
    for index in range(len(front)):
        if roles[index] == "title" and index not in title_indices:
            roles[index] = "title_repeat"
    letter.front_lines = [(role, line.raw) for role, line in zip(roles, front, strict=True)]
    letter.title_lines = [front[index].raw for index in title_indices]
    letter.unparsed.extend(
        line.raw for role, line in zip(roles, front, strict=True) if role in ("noise", "unparsed")
    )
    _read_title_facts(letter)


def _is_title_line(line, previous_title_open):
    norm = line.norm
    if "。" in norm or len(norm) > 60:
        return False
    if _TITLE_HINT_RE.search(norm):
        return True
    return previous_title_open and len(norm) <= 40


def _choose_title(front, roles):
    """Indices of the title lines; a repeated title (web page heading + letter) is kept once.

    Title lines are grouped, each group ending with a line that ends like a title (…的函,
    …的答复). With several groups the last one is the letter's own title.
    """
    groups = []
    current = []
    for index, role in enumerate(roles):
        if role != "title":
            continue
        current.append(index)
        if _TITLE_END_RE.search(front[index].norm):
            groups.append(current)
            current = []
    if current:
        if groups and not any(_NUMBER_RE.search(front[index].norm) for index in current):
            groups[-1].extend(current)  # a trailing fragment belongs to the last title
        else:
            groups.append(current)
    return groups[-1] if groups else []


def _read_title_facts(letter):
    title_norm = "".join(line.translate(_NORMALISE) for line in letter.title_lines)
    title_raw = "".join(letter.title_lines)
    if not title_norm:
        return
    number_match = _NUMBER_RE.search(title_norm)
    if number_match:
        letter.number = _squeeze(title_raw[number_match.start("number") : number_match.end("number")])
        prefix_norm = title_norm[: number_match.start()]
        letter.session = _session_from_title_prefix(prefix_norm, title_raw)
    letter.kind = _kind_from_text(title_norm)


def _session_from_title_prefix(prefix_norm, title_raw):
    strip_match = _SESSION_PREFIX_STRIP_RE.match(prefix_norm)
    start = strip_match.end() if strip_match and ("关于" in prefix_norm or "对" in prefix_norm) else 0
    candidate_norm = prefix_norm[start:]
    suffix = _SESSION_SUFFIX_STRIP_RE.search(candidate_norm)
    end = start + (suffix.start() if suffix else len(candidate_norm))
    session_norm = prefix_norm[start:end]
    if "会议" not in session_norm and "届" not in session_norm:
        return None
    return _squeeze(title_raw[start:end]) or None


def _kind_from_text(norm):
    """'proposal' or 'suggestion' from the letter's own words (quoted proposal titles masked)."""
    unquoted = _QUOTED_RE.sub("", norm)
    after_number = _KIND_AFTER_NUMBER_RE.search(unquoted)
    if after_number:
        return "proposal" if after_number.group(1) == "提案" else "suggestion"
    if "提案" in unquoted:
        return "proposal"
    if "建议" in unquoted:
        return "suggestion"
    return None


# ------------------------------------------------------------------ trailer zone


def _trailer_role(line):
    """What a sign-off / contact / copies line is, or None for prose and headings."""
    norm = line.norm
    if len(norm) > 200 or _heading_match(norm):
        return None
    if _date_line(line):
        return "date"
    if _CONTACT_KEY_RE.match(norm.lstrip("（【")):
        return "contact"
    if _COPIES_RE.match(norm):
        return "copies"
    if _header_fields(line) or _class_mark(line):
        return "mark"
    if _REVIEW_NOTE_RE.match(norm):
        return "review"
    if _DISCLOSURE_RE.match(norm):
        return "disclosure"
    if _SEAL_RE.match(norm):
        return "seal"
    if _NOISE_RE.match(norm):
        return "noise"
    if _is_unit_name(norm):
        return "issuer"
    return None


def _is_unit_name(norm):
    name = norm.strip()
    if not 2 <= len(name) <= 40 or _NOT_IN_UNIT_RE.search(name):
        return False
    return name.endswith(_UNIT_SUFFIXES)


def _date_line(line):
    """(issuer prefix or '', ISO date or None, is_imprint) for a date line, else None."""
    norm = line.norm
    if len(norm) > 60 or not ("年" in norm or "-" in norm or "." in norm or "/" in norm):
        return None
    match = _DATE_LINE_RE.fullmatch(norm)
    if not match:
        return None
    prefix = match.group("prefix").strip()
    if prefix and not _is_unit_name(prefix):
        return None
    issuer = _squeeze_spaces(line.raw[match.start("prefix") : match.end("prefix")]) if prefix else ""
    return issuer, _iso_date(match), bool(match.group("imprint"))


def _squeeze_spaces(text):
    return _WHITESPACE_RE.sub(" ", text).strip()


def _iso_date(match):
    try:
        if match.group("year"):
            year, month, day = (int(match.group(name)) for name in ("year", "month", "day"))
        elif match.group("nyear"):
            year, month, day = (int(match.group(name)) for name in ("nyear", "nmonth", "nday"))
        else:
            year = int("".join(str(_CN_DIGIT_VALUE[char]) for char in match.group("cyear")))
            month = _small_chinese_number(match.group("cmonth"))
            day = _small_chinese_number(match.group("cday"))
        return datetime.date(year, month, day).isoformat()
    except (ValueError, KeyError):
        return None


def _small_chinese_number(text):
    if "十" not in text:
        return _CN_DIGIT_VALUE[text] if len(text) == 1 else -1
    tens, _, ones = text.partition("十")
    return (_CN_DIGIT_VALUE[tens] if tens else 1) * 10 + (_CN_DIGIT_VALUE[ones] if ones else 0)


def _read_trailer(lines, body_start, letter):
    """Walk back from the end over sign-off lines; fill their fields. Returns the trailer start."""
    index = len(lines) - 1
    roles = []
    while index >= body_start:
        # A wrapped copy list can end with a bare unit name: test for it before the issuer.
        role = "copies" if _continues_copies(lines, index, body_start) else _trailer_role(lines[index])
        if role is None and roles and roles[-1] == "date" and _could_be_issuer(lines[index]):
            role = "issuer"
        if role is None:
            break
        roles.append(role)
        index -= 1
    start = index + 1
    roles.reverse()
    trailer = lines[start:]
    letter.trailer_lines = [(role, line.raw) for role, line in zip(roles, trailer, strict=True)]
    _apply_trailer(trailer, roles, letter)
    return start


def _could_be_issuer(line):
    # A numbered heading (一、关于…) just above the date is the body's last section, not a sign-off.
    if any(pattern.match(line.norm) for _rank, pattern in _HEADING_PATTERNS):
        return False
    return len(line.norm) <= 40 and not _NOT_IN_UNIT_RE.search(line.norm)


def _continues_copies(lines, index, body_start):
    """A list-like line that continues a 抄送 line printed just above it."""
    position = index
    while position >= body_start and _is_list_like(lines[position].norm):
        if position < index and _COPIES_RE.match(lines[position].norm):
            return True
        position -= 1
    return position >= body_start and position < index and bool(_COPIES_RE.match(lines[position].norm))


def _is_list_like(norm):
    if len(norm) > 120 or re.search(r"[。！？：]", norm[:-1]):
        return False
    parts = [part for part in _COPY_LIST_SEPARATOR_RE.split(norm.rstrip("。")) if part]
    return bool(parts) and all(2 <= len(part) <= 30 for part in parts)


def _apply_trailer(trailer, roles, letter):
    issuers = []
    contact_fields = []
    for line, role in zip(trailer, roles, strict=True):
        if role == "issuer":
            issuers.append(_squeeze_spaces(line.raw))
        elif role == "date":
            prefix, iso_date, is_imprint = _date_line(line)
            if is_imprint:
                continue
            if prefix:
                issuers.append(prefix)
            if letter.date is None:
                letter.date = iso_date
        elif role == "contact":
            raw, norm = _unbracket(line)
            contact_fields.extend(_scan_fields(raw, norm, _CONTACT_KEY_RE))
        elif role == "copies":
            letter.copied_to.extend(_copy_list(line))
        elif role == "mark":
            _apply_header_fields(_header_fields(line), letter)
            letter.result_class = letter.result_class or _class_mark(line)
        elif role == "review":
            letter.review_note = letter.review_note or line.raw
        elif role == "noise":
            letter.unparsed.append(line.raw)
    if issuers:
        letter.issuer = "、".join(issuers)
    if contact_fields:
        letter.contact = _contact_from_fields(contact_fields)


def _unbracket(line):
    raw, norm = line.raw, line.norm
    if norm[:1] in "（【" and norm[-1:] in "）】":
        return raw[1:-1], norm[1:-1]
    return raw, norm


def _contact_from_fields(fields):
    contact = Contact()
    for key, value in fields:
        attribute = _CONTACT_FIELD_OF_KEY.get(key)
        if attribute is None or not value or getattr(contact, attribute):
            continue
        if attribute in ("person", "unit"):
            value = _squeeze(value)
        setattr(contact, attribute, value)
    return contact


def _copy_list(line):
    match = _COPIES_RE.match(line.norm)
    start = match.end() if match else 0
    raw_list = line.raw[start:].strip().rstrip("。.")
    norm_list = line.norm[start:].strip().rstrip("。.")
    names = []
    position = 0
    for separator in _COPY_LIST_SEPARATOR_RE.finditer(norm_list):
        names.append(raw_list[position : separator.start()])
        position = separator.end()
    names.append(raw_list[position:])
    return [name.strip() for name in names if name.strip()]


# ------------------------------------------------------------------ closing and body


def _is_closing(line):
    norm = line.norm
    if _heading_match(norm):
        return False
    if _CLOSING_RE.match(norm):
        return True
    return len(norm) <= _CLOSING_MAX_LENGTH and bool(_CLOSING_ANYWHERE_RE.search(norm))


def _find_closing_start(lines, body_start, trailer_start):
    start = trailer_start
    while start - 1 >= body_start and _is_closing(lines[start - 1]):
        start -= 1
    if start == body_start and body_start < trailer_start and _OPENING_HINT_RE.search(lines[body_start].norm):
        start += 1  # the opening itself thanked the proposer; keep it as the opening
    return start


def _heading_match(norm):
    """(rank, match) when the line starts with a section label, else None."""
    if not norm or norm[0] not in "一二三四五六七八九十（0123456789①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳":
        return None
    for rank, pattern in _HEADING_PATTERNS:
        match = pattern.match(norm)
        if match:
            return rank, match
    return None


def _read_body(body, letter):
    """Opening paragraphs, then the numbered items (or one unnumbered item)."""
    first_heading = next((index for index, line in enumerate(body) if _heading_match(line.norm)), None)
    if first_heading is None:
        opening_end = _opening_end_without_headings(body)
        letter.opening.extend(line.raw for line in body[:opening_end])
        rest = body[opening_end:]
        if rest:
            letter.items = [LetterItem(paragraphs=[line.raw for line in rest])]
    else:
        letter.opening.extend(line.raw for line in body[:first_heading])
        letter.items = _build_items(body[first_heading:])
    for item in letter.items:
        _fill_commitments(item)


def _opening_end_without_headings(body):
    for index, line in enumerate(body[:3]):
        if _ANSWER_FOLLOWS_RE.search(line.norm):
            return index + 1
    if body and _OPENING_HINT_RE.search(body[0].norm):
        return 1
    return 0


def _build_items(lines):
    items = []
    open_items = []
    for line in lines:
        heading = _heading_match(line.norm)
        if heading is None:
            open_items[-1].paragraphs.append(line.raw)
            continue
        item = _item_from_heading(line, *heading)
        while open_items and open_items[-1].rank >= item.rank:
            open_items.pop()
        (open_items[-1].children if open_items else items).append(item)
        open_items.append(item)
    return items


def _item_from_heading(line, rank, match):
    label_end = match.end()
    printed_label = line.raw[:label_end]
    text_raw = line.raw[label_end:]
    text_norm = line.norm[label_end:]
    item = LetterItem(number=printed_label.strip(), printed_label=printed_label, rank=rank)
    split = _HEADING_BREAK_RE.search(text_norm)
    if split is None:
        item.heading = text_raw.strip()
        return item
    item.heading = text_raw[: split.start()].strip()
    item.heading_end = text_raw[split.start()]
    rest = text_raw[split.end() :]
    if rest.strip():
        if item.heading_end == "：" and len(rest.strip()) < 8:
            item.heading, item.heading_end = text_raw.strip(), ""
            return item
        item.run_in = True
        item.heading_end += rest[: len(rest) - len(rest.lstrip())]
        item.paragraphs.append(rest.strip())
    return item


# ------------------------------------------------------------------ commitments


def find_commitments(paragraph):
    """Commitments made in one paragraph, as exact substrings of it.

    A paragraph holds commitments when it starts with 下一步 / 下步 / 下一阶段 / 接下来 (a comma
    or colon may follow) or 今后， — or when 下一步， starts a sentence inside it.

    * If the text after that lead contains an enumeration 一是…二是…三是… (each X是 at the start
      of a clause), every X是 clause is one commitment: from X是 up to and including the first
      。！？ after it, or up to the next X是 when that comes first (一是A；二是B。 gives
      "一是A；" and "二是B。"). The framing before 一是 and any sentences after the last
      clause's full stop are not commitments.
    * Otherwise the whole text after the lead (下一步，) to the end of the paragraph is one
      commitment.

    A lead whose text ends with a colon (下一步，我们将重点做好以下工作：) introduces a list in
    the following paragraphs; see `_item_commitments`.
    """
    return _commitments_in(paragraph, paragraph.translate(_NORMALISE))


def _commitment_lead_end(norm):
    lead = _COMMITMENT_LEAD_RE.match(norm)
    if lead:
        return lead.end()
    midway = _COMMITMENT_MIDWAY_RE.search(norm)
    return midway.end() if midway else None


def _commitments_in(raw, norm):
    lead_end = _commitment_lead_end(norm)
    if lead_end is None:
        return []
    enumerated = _enumerated_commitments(raw, norm, lead_end)
    if enumerated:
        return enumerated
    text = raw[lead_end:].strip()
    return [text] if text else []


def _enumerated_commitments(raw, norm, start, first_numeral=0):
    """X是 clauses from `start` on, numbered from the `first_numeral`-th numeral (0 for 一是)."""
    markers = []
    position = start
    for pattern in _ENUMERATION_RES[first_numeral:]:
        match = pattern.search(norm, position)
        if match is None:
            break
        markers.append(match.start())
        position = match.end()
    commitments = []
    for index, marker in enumerate(markers):
        next_marker = markers[index + 1] if index + 1 < len(markers) else len(norm)
        sentence_end = _SENTENCE_END_RE.search(norm, marker + 2)
        end = min(sentence_end.end(), next_marker) if sentence_end else next_marker
        text = raw[marker:end].rstrip()
        if text:
            commitments.append(text)
    return commitments


def _item_commitments(paragraphs):
    """Commitments in an item's own paragraphs.

    After a 下一步 paragraph ending with a colon, each following paragraph that starts with
    一是 / 二是 … contributes its X是 clauses. If no such paragraph follows, the colon paragraph's
    own text counts, so the promise is not lost.
    """
    commitments = []
    listing = None  # the colon-ended lead paragraph's own commitments while a list may follow
    listed_any = False
    for raw in paragraphs:
        norm = raw.translate(_NORMALISE)
        if listing is not None:
            enumeration = _ENUMERATION_START_RE.match(norm)
            if enumeration:
                first_numeral = _CN_NUMERAL.index(norm[0])
                commitments.extend(_enumerated_commitments(raw, norm, 0, first_numeral))
                listed_any = True
                continue
            if not listed_any:
                commitments.extend(listing)
            listing = None
        lead_end = _commitment_lead_end(norm)
        if lead_end is None:
            continue
        if norm.rstrip().endswith("：") and not _enumerated_commitments(raw, norm, lead_end):
            listing = _commitments_in(raw, norm)
            listed_any = False
            continue
        commitments.extend(_commitments_in(raw, norm))
    if listing is not None and not listed_any:
        commitments.extend(listing)
    return commitments


def _fill_commitments(item):
    item.commitments = _item_commitments(item.paragraphs)
    for child in item.children:
        _fill_commitments(child)


# ------------------------------------------------------------------ opening facts


def _read_opening_facts(letter):
    """Proposal title, number, session, kind and assignment from the opening paragraphs."""
    for paragraph in letter.opening:
        norm = paragraph.translate(_NORMALISE)
        title_span = None
        if letter.proposal_title is None:
            title_span = _proposal_title_span(norm)
            if title_span:
                letter.proposal_title = paragraph[title_span[0] : title_span[1]].strip() or None
        masked = _mask(norm, title_span)
        if letter.number is None:
            number_match = _NUMBER_RE.search(masked)
            if number_match:
                letter.number = _squeeze(paragraph[number_match.start("number") : number_match.end("number")])
        if letter.session is None:
            session_match = _SESSION_IN_OPENING_RE.search(masked)
            if session_match:
                session_raw = paragraph[session_match.start("session") : session_match.end("session")]
                letter.session = _squeeze(session_raw)
        if letter.kind is None:
            letter.kind = _kind_from_text(masked)
        if letter.lead_department is None:
            _read_assignment(paragraph, masked, letter)


def _proposal_title_span(norm):
    for pattern in _PROPOSAL_TITLE_PATTERNS:
        match = pattern.search(norm)
        if match:
            return match.start("title"), match.end("title")
    return None


def _mask(norm, span):
    """Blank out quoted text (the proposal title) so words inside it are not read as the letter's."""
    masked = _QUOTED_RE.sub(lambda match: "□" * len(match.group(0)), norm)
    if span:
        masked = masked[: span[0]] + "□" * (span[1] - span[0]) + masked[span[1] :]
    return masked


def _read_assignment(raw, masked, letter):
    for pattern in _ASSIGNMENT_PATTERNS:
        match = pattern.search(masked)
        if not match:
            continue
        groups = match.groupdict()
        if groups.get("by"):
            letter.assigned_by = _squeeze(raw[match.start("by") : match.end("by")]) or None
        letter.lead_department = _squeeze(raw[match.start("lead") : match.end("lead")]) or None
        if groups.get("co"):
            letter.co_departments = _unit_list(raw[match.start("co") : match.end("co")])
        else:
            co_match = _CO_DEPARTMENTS_RE.match(masked, match.end())
            if co_match:
                letter.co_departments = _unit_list(raw[co_match.start("co") : co_match.end("co")])
        return


def _unit_list(raw):
    units = []
    for part in _UNIT_LIST_SEPARATOR_RE.split(raw.translate(_NORMALISE)):
        unit = _squeeze(part)
        if unit.startswith(("以及", "及")) and len(unit) > 3:
            unit = unit[2:] if unit.startswith("以及") else unit[1:]
        if unit:
            units.append(unit)
    return units


def _resolve_self_reference(letter):
    if letter.lead_department and letter.issuer and _SELF_REFERENCE_RE.match(letter.lead_department):
        letter.lead_department = letter.issuer


# ------------------------------------------------------------------ verdict


def _looks_like_letter(letter):
    title_says_so = any(_TITLE_HINT_RE.search(line.translate(_NORMALISE)) for line in letter.title_lines)
    opening_says_so = any(_OPENING_HINT_RE.search(line.translate(_NORMALISE)) for line in letter.opening)
    return bool(title_says_so or letter.salutation or opening_says_so)


def _missing_parts(letter):
    present = {
        "title": letter.title_lines,
        "salutation": letter.salutation,
        "number": letter.number,
        "session": letter.session,
        "proposal_title": letter.proposal_title,
        "opening": letter.opening,
        "lead_department": letter.lead_department,
        "items": letter.items,
        "commitments": letter.commitments,
        "closing": letter.closing_paragraphs,
        "result_class": letter.result_class,
        "document_number": letter.document_number,
        "signed_by": letter.signed_by,
        "issuer": letter.issuer,
        "date": letter.date,
        "contact": letter.contact,
    }
    return [_MISSING_MESSAGES[key] for key, value in present.items() if not value]
