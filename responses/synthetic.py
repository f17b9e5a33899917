"""Synthetic proposals for load tests and benchmarks: realistic Chinese text, many sessions and
departments, replies with items and commitments, progress and feedback, in bulk.

Deterministic for a seed: every choice comes from one `random.Random(seed)` and every date is
counted from BASE_DATE, never from today. Rows are written with bulk_create in batches (no signals,
no history rows); the search index is rebuilt in bulk at the end.
"""

import datetime
import random
from dataclasses import dataclass

from django.db import transaction

from proposals.models import (
    Assignment,
    Committee,
    Department,
    Proposal,
    ProposalProposer,
    Proposer,
    Session,
    salutation,
)

from .models import Commitment, CommitmentProgress, Feedback, Response, ResponseItem

BASE_DATE = datetime.date(2026, 11, 1)

# name, short name, level, kind of item filed there, office (department of kind OFFICE)
COMMITTEES = [
    (
        "中国人民政治协商会议广西壮族自治区委员会",
        "自治区政协",
        Committee.Level.PROVINCIAL,
        Proposal.Kind.PROPOSAL,
        "自治区政协办公厅",
    ),
    (
        "中国人民政治协商会议南宁市委员会",
        "南宁市政协",
        Committee.Level.CITY,
        Proposal.Kind.PROPOSAL,
        "南宁市政协办公室",
    ),
    (
        "中国人民政治协商会议柳州市委员会",
        "柳州市政协",
        Committee.Level.CITY,
        Proposal.Kind.PROPOSAL,
        "柳州市政协办公室",
    ),
    (
        "广西壮族自治区人民代表大会常务委员会",
        "自治区人大",
        Committee.Level.PROVINCIAL,
        Proposal.Kind.SUGGESTION,
        "自治区人大常委会办公厅",
    ),
]
COMMITTEE_WEIGHTS = [5, 2, 2, 3]

# (year, term, session number): 十二届 2018–2022, 十三届 2023–2027.
SESSIONS = [(2018 + i, 12, i + 1) for i in range(5)] + [(2023 + i, 13, i + 1) for i in range(4)]

DEPARTMENTS = [
    "自治区发展改革委",
    "自治区教育厅",
    "自治区科技厅",
    "自治区工业和信息化厅",
    "自治区民族宗教委",
    "自治区公安厅",
    "自治区民政厅",
    "自治区司法厅",
    "自治区财政厅",
    "自治区人力资源社会保障厅",
    "自治区自然资源厅",
    "自治区生态环境厅",
    "自治区住房城乡建设厅",
    "自治区交通运输厅",
    "自治区水利厅",
    "自治区农业农村厅",
    "自治区商务厅",
    "自治区文化和旅游厅",
    "自治区卫生健康委",
    "自治区退役军人事务厅",
    "自治区应急管理厅",
    "自治区审计厅",
    "自治区外事办",
    "自治区国资委",
    "自治区市场监管局",
    "自治区广电局",
    "自治区体育局",
    "自治区统计局",
    "自治区林业局",
    "自治区粮食和储备局",
    "自治区医保局",
    "自治区大数据发展局",
    "自治区乡村振兴局",
    "自治区地方金融监管局",
    "自治区机关事务管理局",
    "自治区能源局",
    "自治区药监局",
    "自治区知识产权局",
    "自治区北部湾办",
    "自治区投资促进局",
    "自治区海洋局",
    "自治区中医药局",
    "自治区信访局",
    "自治区工商联",
    "自治区科协",
    "自治区总工会",
    "自治区妇联",
    "自治区残联",
    "共青团广西区委",
    "自治区供销合作社",
    "自治区社会科学院",
    "广西农业科学院",
    "国家税务总局广西壮族自治区税务局",
    "广西壮族自治区气象局",
    "广西壮族自治区通信管理局",
    "南宁海关",
    "中国人民银行广西壮族自治区分行",
    "广西电网有限责任公司",
    "南宁市人民政府",
    "柳州市人民政府",
]

# keyword, category, weight: the topic a proposal is about. 钨矿 is rare on purpose (a search
# benchmark needs a term with a few dozen hits among 100,000), 广西 is everywhere (see SENTENCES).
TOPICS = [
    ("乡村振兴", Proposal.Category.ECONOMY, 8),
    ("新能源汽车", Proposal.Category.ECONOMY, 5),
    ("数字经济", Proposal.Category.ECONOMY, 5),
    ("石墨烯", Proposal.Category.ECONOMY, 1.2),
    ("氢能", Proposal.Category.ECONOMY, 2.5),
    ("揭榜挂帅", Proposal.Category.ECONOMY, 1.5),
    ("钨矿", Proposal.Category.ECONOMY, 0.03),
    ("北部湾国际门户港", Proposal.Category.ECONOMY, 3),
    ("平陆运河", Proposal.Category.ECONOMY, 2),
    ("中国—东盟自由贸易区", Proposal.Category.ECONOMY, 3),
    ("糖料蔗产业", Proposal.Category.ECONOMY, 2),
    ("螺蛳粉产业", Proposal.Category.ECONOMY, 1.5),
    ("跨境电商", Proposal.Category.ECONOMY, 2),
    ("人工智能", Proposal.Category.ECONOMY, 3),
    ("集成电路", Proposal.Category.ECONOMY, 1),
    ("铝产业", Proposal.Category.ECONOMY, 1),
    ("海上风电", Proposal.Category.ECOLOGY, 1.5),
    ("石漠化治理", Proposal.Category.ECOLOGY, 1.5),
    ("漓江生态保护", Proposal.Category.ECOLOGY, 1.5),
    ("农村生活污水治理", Proposal.Category.ECOLOGY, 2),
    ("林下经济", Proposal.Category.ECOLOGY, 1.5),
    ("职业教育", Proposal.Category.SOCIETY, 4),
    ("学前教育", Proposal.Category.SOCIETY, 3),
    ("养老服务", Proposal.Category.SOCIETY, 4),
    ("县域医共体", Proposal.Category.SOCIETY, 2),
    ("农村饮水安全", Proposal.Category.SOCIETY, 2),
    ("住房保障", Proposal.Category.SOCIETY, 2),
    ("城市更新", Proposal.Category.SOCIETY, 2),
    ("食品安全", Proposal.Category.SOCIETY, 2),
    ("防灾减灾", Proposal.Category.SOCIETY, 1.5),
    ("全民健身", Proposal.Category.SOCIETY, 1.5),
    ("壮瑶医药", Proposal.Category.CULTURE, 1.5),
    ("非物质文化遗产", Proposal.Category.CULTURE, 2),
    ("文旅融合", Proposal.Category.CULTURE, 3),
    ("民族团结进步", Proposal.Category.POLITICS, 2),
    ("营商环境", Proposal.Category.POLITICS, 3),
    ("数字政府", Proposal.Category.POLITICS, 2),
    ("中小企业融资", Proposal.Category.ECONOMY, 2.5),
    ("科技成果转化", Proposal.Category.ECONOMY, 2.5),
    ("高层次人才引进", Proposal.Category.SOCIETY, 2.5),
]

# The units an office usually hands each topic to (lead first): history-based assignment
# suggestions learn from this. One assignment in five goes elsewhere, as real ones sometimes do.
TOPIC_UNITS = {
    "乡村振兴": ["自治区乡村振兴局", "自治区农业农村厅"],
    "新能源汽车": ["自治区工业和信息化厅", "自治区发展改革委"],
    "数字经济": ["自治区大数据发展局", "自治区工业和信息化厅"],
    "石墨烯": ["自治区科技厅", "自治区工业和信息化厅"],
    "氢能": ["自治区能源局", "自治区发展改革委"],
    "揭榜挂帅": ["自治区科技厅"],
    "钨矿": ["自治区自然资源厅"],
    "北部湾国际门户港": ["自治区北部湾办", "自治区交通运输厅"],
    "平陆运河": ["自治区交通运输厅", "自治区发展改革委"],
    "中国—东盟自由贸易区": ["自治区商务厅", "自治区外事办"],
    "糖料蔗产业": ["自治区农业农村厅"],
    "螺蛳粉产业": ["自治区工业和信息化厅", "自治区市场监管局"],
    "跨境电商": ["自治区商务厅"],
    "人工智能": ["自治区科技厅", "自治区大数据发展局"],
    "集成电路": ["自治区工业和信息化厅"],
    "铝产业": ["自治区工业和信息化厅"],
    "海上风电": ["自治区能源局", "自治区海洋局"],
    "石漠化治理": ["自治区林业局", "自治区自然资源厅"],
    "漓江生态保护": ["自治区生态环境厅"],
    "农村生活污水治理": ["自治区生态环境厅", "自治区住房城乡建设厅"],
    "林下经济": ["自治区林业局"],
    "职业教育": ["自治区教育厅", "自治区人力资源社会保障厅"],
    "学前教育": ["自治区教育厅"],
    "养老服务": ["自治区民政厅"],
    "县域医共体": ["自治区卫生健康委", "自治区医保局"],
    "农村饮水安全": ["自治区水利厅"],
    "住房保障": ["自治区住房城乡建设厅"],
    "城市更新": ["自治区住房城乡建设厅", "自治区自然资源厅"],
    "食品安全": ["自治区市场监管局"],
    "防灾减灾": ["自治区应急管理厅"],
    "全民健身": ["自治区体育局"],
    "壮瑶医药": ["自治区中医药局", "自治区药监局"],
    "非物质文化遗产": ["自治区文化和旅游厅"],
    "文旅融合": ["自治区文化和旅游厅"],
    "民族团结进步": ["自治区民族宗教委"],
    "营商环境": ["自治区发展改革委", "自治区市场监管局"],
    "数字政府": ["自治区大数据发展局"],
    "中小企业融资": ["自治区地方金融监管局", "中国人民银行广西壮族自治区分行"],
    "科技成果转化": ["自治区科技厅", "自治区知识产权局"],
    "高层次人才引进": ["自治区人力资源社会保障厅", "自治区科技厅"],
}

PLACES = [
    "南宁",
    "柳州",
    "桂林",
    "梧州",
    "北海",
    "防城港",
    "钦州",
    "贵港",
    "玉林",
    "百色",
    "贺州",
    "河池",
    "来宾",
    "崇左",
]

TITLE_TEMPLATES = [
    "关于加快{t}发展的建议",
    "关于推动广西{t}高质量发展的建议",
    "关于完善{t}支持政策的提案",
    "关于破解{t}发展瓶颈的建议",
    "关于以{t}助推{p}经济转型的建议",
    "关于进一步加强{t}工作的建议",
    "关于在{p}建设{t}示范区的建议",
    "关于统筹推进全区{t}的提案",
    "关于健全{t}长效机制的建议",
    "关于加大{t}要素保障力度的建议",
]

# Sentences of a proposal body. {t}: the topic, {t2}: another topic, {p}: a place, {n}: a number,
# {y}: a year. Most mention 广西 or a Guangxi place, as real proposals do.
SITUATION = [
    "近年来，广西{t}发展势头良好，{p}等地已形成一定规模，{y}年相关产值突破{n}亿元。",
    "自治区党委、政府高度重视{t}工作，先后出台多项政策措施，为全区{t}发展提供了有力支撑。",
    "当前，{t}正处于由点到面、由量到质转变的关键阶段，广西具备资源、区位和政策等多重优势。",
    "据统计，截至{y}年底，全区从事{t}相关业务的市场主体达{n}家，带动就业超过{n}万人。",
    "{p}市依托自身产业基础，积极探索{t}与{t2}融合发展路径，取得了初步成效。",
    "广西地处中国—东盟开放合作前沿，发展{t}具有独特的区位优势和广阔的市场空间。",
    "在国家政策支持下，我区{t}相关项目加快落地，{p}、{p2}等地的示范项目已建成投产。",
    "广西作为西部陆海新通道的重要节点，为{t}发展提供了难得的历史机遇。",
]
PROBLEMS = [
    "一是顶层设计有待完善，{t}发展规划与各市实际衔接不够紧密，部门之间统筹协调不足。",
    "二是要素保障不够有力，用地、资金、人才等要素供给与{t}发展需求之间仍有较大差距。",
    "三是创新能力相对薄弱，关键核心技术攻关不足，科研成果在区内转化率偏低。",
    "四是产业链条较短，龙头企业带动作用不强，上下游配套不完善，产品附加值不高。",
    "同时，基层对{t}政策的知晓度不高，部分支持政策落地慢、兑现难，市场主体获得感不强。",
    "此外，{p}等地在{t}领域存在重复建设、同质化竞争等问题，资源利用效率有待提高。",
    "从调研情况看，广西{t}领域专业人才缺口较大，高层次人才引不进、留不住的问题较为突出。",
    "与先进省份相比，广西在{t}方面的投入强度、产业规模和创新水平仍有明显差距。",
]
SUGGESTIONS = [
    "建议自治区层面出台{t}专项规划，明确发展目标、空间布局和重点任务，建立跨部门协调机制。",
    "建议设立{t}产业发展基金，通过贷款贴息、风险补偿等方式，引导社会资本加大投入。",
    "建议加强{t}人才队伍建设，完善引才育才用才政策，支持区内高校开设相关专业。",
    "建议推动{t}与{t2}协同发展，培育一批具有区域竞争力的龙头企业和特色产业集群。",
    "建议深化与东盟国家在{t}领域的交流合作，依托中国—东盟博览会搭建对接平台。",
    "建议在{p}开展{t}试点示范，及时总结经验，在全区复制推广。",
    "建议优化{t}领域营商环境，简化审批流程，落实税费优惠政策，切实减轻企业负担。",
    "建议加强{t}统计监测和绩效评估，将相关指标纳入各市高质量发展考核体系。",
    "建议健全{t}金融服务体系，鼓励金融机构开发专属信贷产品，扩大有效投资。",
    "建议完善{t}基础设施建设，补齐县域和农村地区短板，提升公共服务均等化水平。",
    "建议强化{t}标准体系建设，推动区内企业参与制定国家标准和行业标准。",
]
# Suggestions that name a fashionable term whatever the topic, each in a share of the proposals
# close to what a real corpus shows: 揭榜挂帅 and 氢能 in about one in six, 石墨烯 in a few percent.
MENTIONS = [
    ("建议实行“揭榜挂帅”机制，围绕{t}关键技术组织攻关，支持企业联合高校和科研院所共建创新平台。", 0.14),
    ("建议加大氢能、储能等新兴产业培育力度，推动能源结构优化和{t}绿色低碳转型。", 0.13),
    ("建议支持石墨烯、新材料等前沿领域研发，推动{t}产业链向中高端延伸。", 0.02),
]
DETAILS = [
    "可借鉴广东、浙江等地经验，结合广西实际，分步骤、分阶段组织实施。",
    "各市要结合本地实际细化工作方案，明确责任单位和完成时限，确保各项措施落到实处。",
    "要加强宣传引导，及时总结推广{p}等地的好经验、好做法，营造全社会关心支持{t}的良好氛围。",
    "同时，要强化督促检查，建立定期通报制度，对工作推进不力的地方和部门予以督办。",
    "对符合条件的项目，在用地指标、能耗指标和融资担保等方面给予倾斜支持。",
]
CLOSING = [
    "综上，加快{t}发展对于推动广西经济高质量发展具有重要意义，恳请有关部门予以研究采纳。",
    "以上建议，供参考。",
    "希望自治区有关部门高度重视，加强统筹，推动{t}工作取得新突破。",
]

REPLY_DONE = [
    "近年来，我厅认真贯彻落实自治区党委、政府决策部署，积极推进{t}相关工作。",
    "{y}年，全区共安排{t}专项资金{n}亿元，支持项目{n}个，带动社会投资{n}亿元。",
    "我们会同有关部门制定了《广西{t}发展三年行动方案》，明确了目标任务和保障措施。",
    "目前，{p}、{p2}等市已建成{t}示范项目{n}个，形成了一批可复制可推广的经验。",
    "针对您提出的问题，我们组织开展了专题调研，梳理形成问题清单，逐项推动解决。",
    "我们积极争取国家部委支持，{t}相关项目已列入国家重点支持范围。",
    "自治区已建立{t}工作联席会议制度，定期研究解决发展中的重大问题。",
]
REPLY_NEXT = [
    "下一步，我们将进一步完善{t}支持政策，加大资金投入力度，推动各项措施落地见效。",
    "下一步，我们将会同有关部门研究制定{t}专项规划，力争在{y}年底前印发实施。",
    "下一步，我们将推广{p}试点经验，在全区范围内推进{t}示范建设。",
    "下一步，我们将加强{t}人才培养和引进，支持区内高校和企业共建实训基地。",
    "下一步，我们将深化与东盟国家在{t}领域的合作，办好相关对接活动。",
    "下一步，我们将建立{t}工作台账，按季度跟踪调度，确保按期完成目标任务。",
]
ITEM_HEADINGS = [
    "关于加强{t}统筹规划的建议",
    "关于加大{t}资金支持的建议",
    "关于强化{t}人才支撑的建议",
    "关于推动{t}创新发展的建议",
    "关于优化{t}营商环境的建议",
    "关于深化{t}开放合作的建议",
    "关于完善{t}考核评价的建议",
    "关于加强{t}宣传引导的建议",
]
PROGRESS = [
    "已完成年度目标任务的{n}%，相关工作正按计划推进。",
    "已召开专题推进会，明确责任分工和时间节点。",
    "相关政策文件已印发实施。",
    "试点项目已开工建设，预计年内完成。",
]

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐韦覃蒙农莫黎陆蓝甘廖潘"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红玉兰海燕春梅俊峰波宁"
SECTORS = ["中共", "民革", "民盟", "民建", "民进", "农工党", "致公党", "九三学社", "无党派人士", "工商联"]
SECTORS += ["科学技术界", "经济界", "农业界", "教育界", "医药卫生界", "文化艺术界", "少数民族界"]
WORKPLACES = ["某大学", "某医院", "某公司", "某研究院"]
PARTIES = ["中共党员", "民革党员", "民盟盟员", "民建会员", "民进会员", "农工党党员", "九三学社社员", ""]

# Status by how far back the session is: the older, the more is closed.
STATUS_MIX = {
    "old": [
        (Proposal.Status.CLOSED, 70),
        (Proposal.Status.FEEDBACK_RECEIVED, 12),
        (Proposal.Status.REPLIED, 5),
        (Proposal.Status.REHANDLING, 1),
        (Proposal.Status.MERGED, 4),
        (Proposal.Status.NOT_REGISTERED, 8),
    ],
    "last": [
        (Proposal.Status.CLOSED, 40),
        (Proposal.Status.FEEDBACK_RECEIVED, 20),
        (Proposal.Status.REPLIED, 18),
        (Proposal.Status.REHANDLING, 2),
        (Proposal.Status.IN_HANDLING, 6),
        (Proposal.Status.MERGED, 4),
        (Proposal.Status.NOT_REGISTERED, 10),
    ],
    "current": [
        (Proposal.Status.REPLIED, 35),
        (Proposal.Status.FEEDBACK_RECEIVED, 15),
        (Proposal.Status.IN_HANDLING, 18),
        (Proposal.Status.ASSIGNED, 8),
        (Proposal.Status.REGISTERED, 4),
        (Proposal.Status.SUBMITTED, 3),
        (Proposal.Status.DRAFT, 2),
        (Proposal.Status.MERGED, 4),
        (Proposal.Status.NOT_REGISTERED, 11),
    ],
}
REPLIED = {
    Proposal.Status.REPLIED,
    Proposal.Status.FEEDBACK_RECEIVED,
    Proposal.Status.REHANDLING,
    Proposal.Status.CLOSED,
}
ASSIGNED = REPLIED | {Proposal.Status.ASSIGNED, Proposal.Status.IN_HANDLING}
FED_BACK = {Proposal.Status.FEEDBACK_RECEIVED, Proposal.Status.REHANDLING, Proposal.Status.CLOSED}


@dataclass
class Counts:
    proposals: int = 0
    assignments: int = 0
    responses: int = 0
    items: int = 0
    commitments: int = 0
    progress: int = 0
    feedback: int = 0


class Generator:
    def __init__(self, seed):
        self.rng = random.Random(seed)
        self.topic_weights = [weight for _, _, weight in TOPICS]
        # The "other topic" a sentence mentions: common topics only, so rare terms stay rare.
        self.other_topics = [topic for topic, _, weight in TOPICS if weight >= 2]
        self.next_number = {}

    # Text ---------------------------------------------------------------------------------------

    def fill(self, template, topic):
        rng = self.rng
        other = rng.choice(self.other_topics)
        place, place2 = rng.sample(PLACES, 2)
        return template.format(
            t=topic, t2=other, p=place, p2=place2, n=rng.randint(2, 980), y=rng.randint(2018, 2026)
        )

    def title(self, topic):
        return self.fill(self.rng.choice(TITLE_TEMPLATES), topic)

    def body(self, topic):
        rng, fill = self.rng, self.fill
        parts = ["一、基本情况"]
        parts += [fill(s, topic) for s in rng.sample(SITUATION, 6)]
        parts.append("二、存在的问题")
        parts += [fill(s, topic) for s in rng.sample(PROBLEMS, 7)]
        parts += [fill(s, topic) for s in rng.choices(PROBLEMS[4:], k=3)]
        parts.append("三、对策建议")
        suggestions = rng.sample(SUGGESTIONS, 7)
        suggestions += [sentence for sentence, share in MENTIONS if rng.random() < share]
        for n, suggestion in zip("一二三四五六七八九十", suggestions, strict=False):
            parts.append(f"（{n}）{fill(suggestion, topic)}{fill(rng.choice(DETAILS), topic)}")
        parts.append(fill(rng.choice(CLOSING), topic))
        return "\n".join(parts)

    # Structure ----------------------------------------------------------------------------------

    def setup(self):
        """Committees, sessions, departments and proposers: found by name or created."""
        committees = []
        for name, short, level, kind, office_name in COMMITTEES:
            committee, _ = Committee.objects.get_or_create(
                name=name, defaults={"short_name": short, "level": level}
            )
            office, _ = Department.objects.get_or_create(
                name=office_name, defaults={"kind": Department.Kind.OFFICE, "committee": committee}
            )
            sessions = []
            for year, term, number in SESSIONS:
                session, _ = Session.objects.get_or_create(
                    committee=committee,
                    term=term,
                    number=number,
                    defaults={
                        "year": year,
                        "opens_on": datetime.date(year, 1, 10 + len(committees) * 3),
                        "closes_on": datetime.date(year, 1, 14 + len(committees) * 3),
                    },
                )
                session.committee = committee  # str(session) and reply titles without a query each
                sessions.append(session)
            committees.append((committee, kind, office, sessions))
        existing = set(Department.objects.filter(name__in=DEPARTMENTS).values_list("name", flat=True))
        Department.objects.bulk_create(
            [
                Department(name=name, committee=committees[0][0])
                for name in DEPARTMENTS
                if name not in existing
            ]
        )
        departments = list(Department.objects.filter(name__in=DEPARTMENTS).order_by("name"))
        rng = self.rng
        proposers = Proposer.objects.bulk_create(
            [
                Proposer(
                    name=rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.choice((1, 2)))),
                    kind=Proposer.Kind.MEMBER,
                    sector=rng.choice(SECTORS),
                    party=rng.choice(PARTIES),
                    affiliation=f"{rng.choice(PLACES)}市{rng.choice(WORKPLACES)}",
                )
                for _ in range(2000)
            ]
        )
        for _committee, _kind, _office, sessions in committees:
            for session in sessions:
                taken = set(Proposal.objects.filter(session=session).values_list("number", flat=True))
                self.next_number[session.pk] = (session.year, taken, 1)
        return committees, departments, proposers

    def number_for(self, session):
        year, taken, sequence = self.next_number[session.pk]
        while (number := f"{year}{sequence:04d}") in taken:
            sequence += 1
        self.next_number[session.pk] = (year, taken, sequence + 1)
        return number

    def status_for(self, session):
        age = BASE_DATE.year - session.year
        mix = STATUS_MIX["current" if age == 0 else "last" if age == 1 else "old"]
        return self.rng.choices([s for s, _ in mix], weights=[w for _, w in mix])[0]

    def days(self, start, low, high):
        return min(start + datetime.timedelta(days=self.rng.randint(low, high)), BASE_DATE)


def generate(proposals, seed, batch=5000, progress=None):
    """Write `proposals` synthetic proposals with everything that hangs off them. Returns Counts."""
    gen = Generator(seed)
    rng = gen.rng
    counts = Counts()
    with transaction.atomic():
        committees, departments, proposers = gen.setup()
    merge_targets = {}  # session pk → an earlier proposal of that session, for 并案
    done = 0
    while done < proposals:
        size = min(batch, proposals - done)
        with transaction.atomic():
            _write_batch(gen, rng, size, committees, departments, proposers, merge_targets, counts)
        done += size
        if progress:
            progress(size)
    return counts


def _write_batch(gen, rng, size, committees, departments, proposers, merge_targets, counts):
    plans = []
    for _ in range(size):
        committee, kind, office, sessions = rng.choices(committees, weights=COMMITTEE_WEIGHTS)[0]
        session = rng.choice(sessions)
        topic, category, _ = rng.choices(TOPICS, weights=gen.topic_weights)[0]
        status = gen.status_for(session)
        merged_into = merge_targets.get(session.pk)
        if status == Proposal.Status.MERGED and merged_into is None:
            status = Proposal.Status.REGISTERED
        opens = session.opens_on or datetime.date(session.year, 1, 15)
        submitted = gen.days(opens, -20, 5) if rng.random() < 0.85 else gen.days(opens, 30, 280)
        numbered = status in Proposal.Status.numbered()
        registered = gen.days(submitted, 5, 20) if numbered else None
        published = numbered and status != Proposal.Status.MERGED and rng.random() < 0.93
        proposal = Proposal(
            session=session,
            number=gen.number_for(session) if numbered else "",
            kind=kind,
            title=gen.title(topic),
            body=gen.body(topic),
            submitted_on=submitted if status != Proposal.Status.DRAFT else None,
            category=category,
            is_key=rng.random() < 0.03,
            status=status,
            merged_into_id=merged_into if status == Proposal.Status.MERGED else None,
            not_registered_reason=(
                rng.choice(Proposal.NotRegisteredReason.values)
                if status == Proposal.Status.NOT_REGISTERED
                else ""
            ),
            is_published=published,
            registered_on=registered,
        )
        plans.append((proposal, topic, office, registered))
    Proposal.objects.bulk_create([plan[0] for plan in plans])
    counts.proposals += len(plans)

    links, assignments, responses = [], [], []
    by_name = {department.name: department for department in departments}
    for proposal, topic, office, registered in plans:
        if proposal.status not in (Proposal.Status.MERGED, Proposal.Status.NOT_REGISTERED):
            merge_targets.setdefault(proposal.session_id, proposal.pk)
        signers = rng.sample(proposers, rng.choices((1, 2, 3), weights=(70, 20, 10))[0])
        links += [
            ProposalProposer(proposal=proposal, proposer=p, position=i) for i, p in enumerate(signers, 1)
        ]
        if proposal.status not in ASSIGNED:
            continue
        handling = rng.sample(departments, 1 + rng.choices((0, 1, 2), weights=(50, 35, 15))[0])
        usual = TOPIC_UNITS[topic]
        if rng.random() < 0.8:
            lead = by_name[usual[0] if len(usual) == 1 or rng.random() < 0.8 else usual[1]]
            handling = [lead, *(d for d in handling if d != lead)][: len(handling)]
        assigned_on = gen.days(registered, 3, 10)
        due_on = assigned_on + datetime.timedelta(days=91)
        for position, department in enumerate(handling):
            assignments.append(
                Assignment(
                    proposal=proposal,
                    department=department,
                    role=Assignment.Role.LEAD if position == 0 else Assignment.Role.CO_HANDLING,
                    position=max(position, 1),
                    assigned_by=office,
                    assigned_on=assigned_on,
                    due_on=due_on,
                    received_on=gen.days(assigned_on, 1, 5),
                )
            )
        if proposal.status in REPLIED:
            issued = gen.days(assigned_on, 30, 110)
            disclosure = rng.choices(Response.Disclosure.values, weights=(94, 4, 2))[0]
            public = proposal.is_published and disclosure == Response.Disclosure.PUBLIC
            document_number = f"桂{handling[0].name[3:5]}函〔{issued.year}〕{rng.randint(1, 300)}号"
            responses.append(
                (
                    Response(
                        proposal=proposal,
                        department=handling[0],
                        title=f"关于{proposal.session.committee.short_name}{proposal.session.ordinal}会议\n"
                        f"第{proposal.number}号提案答复的函",
                        document_number=document_number,
                        signed_by=rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN),
                        salutation=salutation(signers),
                        opening=f"您提出的《{proposal.title}》（第{proposal.number}号）收悉。经认真研究，现答复如下：",
                        closing=f"感谢您对{topic}工作的关心和支持，欢迎继续提出宝贵意见。",
                        signoff_unit=handling[0].name,
                        issued_on=issued,
                        result_class=rng.choices("ABC", weights=(45, 45, 10))[0],
                        disclosure=disclosure,
                        status=Response.Status.PUBLISHED if public else Response.Status.ISSUED,
                        published_on=gen.days(issued, 10, 30) if public else None,
                    ),
                    topic,
                    signers[0],
                )
            )
    ProposalProposer.objects.bulk_create(links)
    Assignment.objects.bulk_create(assignments)
    counts.assignments += len(assignments)
    Response.objects.bulk_create([r for r, _, _ in responses])
    counts.responses += len(responses)

    items, item_plans = [], []
    for response, topic, _signer in responses:
        for position, heading in enumerate(rng.sample(ITEM_HEADINGS, rng.randint(5, 7)), 1):
            paragraphs = [gen.fill(s, topic) for s in rng.sample(REPLY_DONE, rng.randint(2, 3))]
            promise = gen.fill(rng.choice(REPLY_NEXT), topic) if position <= 4 and rng.random() < 0.9 else ""
            item = ResponseItem(
                response=response,
                position=position,
                number_label=f"{'一二三四五六七'[position - 1]}、",
                heading=gen.fill(heading, topic),
                paragraphs="\n".join([*paragraphs, promise] if promise else paragraphs),
            )
            items.append(item)
            item_plans.append((item, response, promise))
    ResponseItem.objects.bulk_create(items)
    counts.items += len(items)

    commitments = []
    for item, response, promise in item_plans:
        if not promise:
            continue
        due = response.issued_on + datetime.timedelta(days=rng.choice((90, 180, 270, 365, 540)))
        if due < BASE_DATE:
            status = rng.choices(Commitment.Status.values, weights=(5, 15, 75, 5))[0]
        else:
            status = rng.choices(Commitment.Status.values, weights=(40, 55, 5, 0))[0]
        commitments.append(
            Commitment(
                item=item, position=1, text=promise, owner=response.department, due_on=due, status=status
            )
        )
    Commitment.objects.bulk_create(commitments)
    counts.commitments += len(commitments)

    progress = []
    for commitment in commitments:
        if (
            commitment.status in (Commitment.Status.IN_PROGRESS, Commitment.Status.DONE)
            and rng.random() < 0.5
        ):
            start = commitment.item.response.issued_on
            progress.append(
                CommitmentProgress(
                    commitment=commitment,
                    reported_on=gen.days(start, 30, 400),
                    status=commitment.status,
                    text=gen.fill(rng.choice(PROGRESS), ""),
                )
            )
    CommitmentProgress.objects.bulk_create(progress)
    counts.progress += len(progress)

    feedback = []
    for response, _topic, signer in responses:
        if response.proposal.status not in FED_BACK:
            continue
        if response.proposal.status == Proposal.Status.REHANDLING:
            rating = Feedback.Rating.UNSATISFIED
        else:
            rating = rng.choices(
                (Feedback.Rating.SATISFIED, Feedback.Rating.BASICALLY_SATISFIED), weights=(85, 15)
            )[0]
        contacted = rng.random() < 0.9
        feedback.append(
            Feedback(
                response=response,
                proposer=signer,
                rating=rating,
                contacted=contacted,
                contact_method=rng.choice(Feedback.ContactMethod.values[:3])
                if contacted
                else Feedback.ContactMethod.NONE,
                submitted_on=gen.days(response.issued_on, 5, 25),
            )
        )
    Feedback.objects.bulk_create(feedback)
    counts.feedback += len(feedback)
