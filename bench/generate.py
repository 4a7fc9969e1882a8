"""Deterministic synthetic matters in believable proportions, loaded in bulk.

Everything is drawn from one seeded ``random.Random``, so the same seed and size give the same
database. Petitioners get Chinese names drawn by surname frequency, valid resident ID numbers,
mobiles and addresses (town/street, community, road, number). Matters take a level-3 content
category weighted by how often petition offices see it, a summary composed from per-category
templates, a channel (online 40 %, visit 30 %, letter 15 %, phone 15 %), and a state that
depends on their age. About 30 % are repeats (the same person again with a similar text; one in
ten typed with a homophone name and no ID number, as a desk would), about 4 % of visits are
collective (6–80 people, 3–5 representatives), 2 % of letters and online petitions anonymous.

The bulk fill writes ``core_person``, ``core_matter``, ``core_matter_party``,
``core_matter_access``, ``core_matter_index`` (computed by
``core.cases.search.index.index_row``, the function the session hook uses), ``core_clock`` and
``core_timeline_entry`` with COPY on PostgreSQL and ``executemany`` on SQLite, then moves the
number counters (``core_sequence``) past the numbers it used so registrations through the
service continue the series.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace
from typing import Any

from sqlalchemy import select, text

from core.accounts.models import Agency
from core.cases.models import ContentCategory
from core.cases.models.matter import CHANNEL_CODES
from core.cases.people.idcard import check_digit
from core.cases.people.pinyin import pinyin_key
from core.cases.search.index import index_row
from core.extensions import db

# Surnames with their approximate share (per cent) of the population.
SURNAMES = (
    ("王", 7.1), ("李", 7.0), ("张", 6.9), ("刘", 5.4), ("陈", 4.6), ("杨", 3.1), ("黄", 2.5),
    ("赵", 2.3), ("吴", 2.0), ("周", 1.9), ("徐", 1.6), ("孙", 1.5), ("马", 1.4), ("朱", 1.3),
    ("胡", 1.2), ("郭", 1.1), ("何", 1.1), ("高", 1.0), ("林", 1.0), ("罗", 0.9), ("郑", 0.9),
    ("梁", 0.8), ("谢", 0.7), ("宋", 0.6), ("唐", 0.6), ("许", 0.6), ("韩", 0.6), ("冯", 0.6),
    ("邓", 0.6), ("曹", 0.5), ("彭", 0.5), ("曾", 0.5), ("肖", 0.5), ("田", 0.5), ("董", 0.5),
    ("袁", 0.5), ("潘", 0.4), ("于", 0.4), ("蒋", 0.4), ("蔡", 0.4), ("余", 0.4), ("杜", 0.4),
    ("叶", 0.4), ("程", 0.4), ("苏", 0.3), ("魏", 0.3), ("吕", 0.3), ("丁", 0.3), ("任", 0.3),
    ("沈", 0.3), ("欧阳", 0.05), ("司马", 0.01),
)  # fmt: skip
GIVEN = (
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超霞平刚桂兰华建国红文玉春海林小志斌波辉鹏宇鑫晓燕"
    "凤云梅莉萍宁亮飞成福贵荣生德兵龙俊峰浩然子涵欣怡嘉淑珍凯晨阳婷玲丹新民金山"
)
# Characters a clerk may type for the same sound (张伟 / 章玮).
HOMOPHONES = {
    "张": "章", "王": "汪", "李": "黎", "林": "琳", "伟": "玮", "芳": "方", "静": "婧",
    "丽": "莉", "明": "铭", "华": "桦", "红": "虹", "军": "君", "杰": "洁", "玉": "钰",
    "燕": "艳", "云": "芸", "平": "萍", "海": "凯", "文": "雯", "英": "莹", "涛": "韬",
}  # fmt: skip
TOWNS = ("城关镇", "东关街道", "西关街道", "南湖街道", "北山镇", "河口镇", "石桥镇", "柳林乡")
COMMUNITIES = (
    "东街社区", "西街社区", "幸福社区", "和平社区", "建设社区", "新华社区", "光明村", "红星村",
    "团结村", "李家庄村", "王家湾村", "滨河社区",
)  # fmt: skip
ROADS = ("人民路", "解放路", "建设路", "中山路", "文化路", "胜利路", "滨河路", "新华路", "长江路")
ESTATES = ("锦绣花园", "阳光小区", "幸福家园", "金色港湾", "翠湖名苑", "安居小区", "世纪城")
COMPANIES = (
    "宏达建筑工程有限公司", "鑫源房地产开发有限公司", "华宇物业服务有限公司", "恒通劳务有限公司",
    "永安建材有限公司", "县第二建筑公司", "顺发食品有限公司", "绿源环保科技有限公司",
)  # fmt: skip
OCCUPATIONS = ("农民", "个体经营", "退休人员", "无业", "企业职工", "教师", "进城务工人员", "学生")

#: Weight of each level-1 content category (how often petition offices see it).
CATEGORY_WEIGHTS = {
    "城乡建设": 24, "劳动和社会保障": 18, "农村农业": 12, "国土资源": 10, "政法": 8, "民政": 6,
    "卫生计生": 4, "教育": 4, "环境保护": 4, "纪检监察": 3, "经济管理": 2, "交通运输": 2,
    "组织人事": 1, "退役军人事务": 1, "其他": 1,
}  # fmt: skip
#: Summary templates per level-1 category; the slots are filled per matter.
TEMPLATES = {
    "城乡建设": (
        "反映{place}{estate}{topic}问题：{company}承诺的{thing}至今未落实，已多次找{unit}协调无果。",
        "{place}{estate}业主反映{topic}，{year}年至今{company}未按约定处理，影响{count}户居民生活。",
        "反映{place}房屋{topic}，补偿标准低于周边，{unit}未出具书面答复，要求依法处理。",
    ),
    "劳动和社会保障": (
        "反映{company}拖欠其{months}个月工资共计{amount}元，多次讨要未果，要求责令支付。",
        "反映{topic}问题：在{company}工作{years}年，单位未依法缴纳社会保险，要求补缴。",
        "{count}名农民工反映{place}{estate}项目{company}拖欠工资{amount}元，春节前无法返乡。",
    ),
    "农村农业": (
        "反映{place}{topic}问题：村委会未公开{year}年集体收支，{thing}去向不明，要求审计。",
        "反映{place}土地被他人占用，{topic}合同到期后对方拒不归还，村里调解未果。",
    ),
    "国土资源": (
        "反映{place}征收集体土地{acres}亩，{topic}款项未足额发放，要求公开补偿标准。",
        "反映{place}{topic}：邻村强行占用其承包地，{unit}调处意见未执行。",
    ),
    "政法": (
        "反映{year}年{topic}案件判决生效后至今未执行到位，申请执行标的{amount}元。",
        "反映{place}{topic}问题，向派出所报案后{months}个月未见处理结果。",
    ),
    "民政": (
        "反映家庭困难申请{topic}，{place}审核未通过且未说明理由，要求重新核查。",
        "反映{place}{topic}发放不及时，已{months}个月未领到，要求查明原因。",
    ),
    "卫生计生": (
        "反映{year}年在县医院就医发生{topic}，要求进行医疗事故鉴定并赔偿{amount}元。",
        "反映{topic}待遇未按政策落实，{place}计生办答复不一致。",
    ),
    "教育": (
        "反映子女{topic}问题：{place}学校以户籍为由拒绝入学，要求按政策解决。",
        "反映{topic}：{place}学校教师{months}个月绩效工资未发放。",
    ),
    "环境保护": (
        "反映{place}{company}夜间生产产生{topic}，严重影响周边{count}户居民休息。",
        "反映{place}河道{topic}，{company}偷排污水，要求环保部门查处。",
    ),
    "纪检监察": (
        "反映{place}村干部{topic}，在{thing}中优亲厚友，要求调查处理。",
        "反映{unit}工作人员{topic}，办事推诿、索要好处费。",
    ),
    "经济管理": (
        "反映{company}改制时{topic}问题未解决，{count}名职工身份置换补偿未到位。",
        "反映{place}有人以高息为诱饵{topic}，涉及{count}人金额约{amount}元。",
    ),
    "交通运输": (
        "反映{place}{topic}：道路修建占用耕地未补偿，施工车辆损坏村道。",
        "反映{place}{topic}问题，出租车乱收费，投诉后无人处理。",
    ),
    "组织人事": ("反映{topic}问题：{year}年退休后待遇核定有误，每月少发{amount}元。",),
    "退役军人事务": ("反映{topic}：退役后安置未落实，{place}答复不符合政策规定。",),
    "其他": ("反映{place}{topic}等问题，要求有关部门予以答复。",),
}
THINGS = ("安置房", "补偿款", "维修资金", "房产证", "集体收益", "低保名额", "拆迁补偿款", "工程款")
UNITS = ("街道办事处", "县住建局", "县人社局", "村委会", "社区居委会", "县自然资源局", "镇政府")
DEMANDS = (
    "要求依法处理",
    "要求给予书面答复",
    "要求落实补偿",
    "要求追究相关人员责任",
    "要求尽快解决",
    "要求公开相关信息",
)

CHANNEL_SHARES = (("online", 40), ("visit", 30), ("letter", 15), ("phone", 15))
PURPOSE_SHARES = (
    ("remedy", 70),
    ("appeal", 10),
    ("accusation", 8),
    ("suggestion", 6),
    ("enquiry", 4),
    ("other", 2),
)
#: State shares by the matter's age: fresh (< 15 days), in handling (< 75), older.
STATE_SHARES = (
    (
        15,
        (
            ("registered", 40),
            ("forwarded", 22),
            ("assigned", 18),
            ("answered", 6),
            ("not_accepted", 6),
            ("objected", 2),
            ("referred_legal", 4),
            ("in_handling", 2),
        ),
    ),
    (
        75,
        (
            ("in_handling", 45),
            ("forwarded", 8),
            ("assigned", 8),
            ("opinion_pending", 8),
            ("suspended", 2),
            ("completion_review", 5),
            ("opinion_issued", 12),
            ("not_accepted", 6),
            ("referred_legal", 6),
        ),
    ),
    (
        10**6,
        (
            ("terminated", 30),
            ("opinion_issued", 33),
            ("review_window", 2),
            ("review_requested", 3),
            ("reexam_requested", 1),
            ("not_accepted", 10),
            ("referred_legal", 9),
            ("answered", 8),
            ("referred_discipline", 3),
            ("in_handling", 1),
        ),
    ),
)
HANDLED = {
    "forwarded",
    "assigned",
    "in_handling",
    "suspended",
    "opinion_pending",
    "completion_review",
    "opinion_issued",
    "review_window",
    "review_requested",
    "reexam_requested",
    "terminated",
}
ACCEPTED = HANDLED - {"forwarded", "assigned"}

#: Extra agencies created under the county for a believable tree: (code, name, level, parent).
EXTRA_AGENCIES = (
    ("RSJ", "县人社局", "department", "ROOT"),
    ("ZRJ", "县自然资源局", "department", "ROOT"),
    ("GAJ", "县公安局", "department", "ROOT"),
    ("JYJ", "县教育局", "department", "ROOT"),
    ("WJW", "县卫健委", "department", "ROOT"),
    ("MZJ", "县民政局", "department", "ROOT"),
    ("HBJ", "县生态环境局", "department", "ROOT"),
    ("NYJ", "县农业农村局", "department", "ROOT"),
    ("JWJ", "县纪委监委", "department", "ROOT"),
    ("BSZ", "北山镇", "town", "ROOT"),
    ("HKZ", "河口镇", "town", "ROOT"),
    ("SQZ", "石桥镇", "town", "ROOT"),
)
#: The department that handles each level-1 category.
HANDLERS = {
    "城乡建设": "CJJ",
    "劳动和社会保障": "RSJ",
    "农村农业": "NYJ",
    "国土资源": "ZRJ",
    "政法": "GAJ",
    "民政": "MZJ",
    "卫生计生": "WJW",
    "教育": "JYJ",
    "环境保护": "HBJ",
    "纪检监察": "JWJ",
}
#: Where matters are registered: the county bureau mostly, towns and their communities too.
REGISTERING = (("XFJ", 62), ("TOWN", 10), ("BSZ", 8), ("HKZ", 7), ("SQZ", 6), ("COMM", 7))

COLUMNS = {
    "core_person": (
        "id", "kind", "name", "name_pinyin", "id_type", "id_number", "sex", "birth_date",
        "occupation", "mobile", "address", "region_code", "version", "created_at", "updated_at",
    ),
    "core_matter": (
        "id", "number", "query_code", "external_numbers", "channel", "purpose", "handling_type",
        "category_id", "hot_topic", "summary", "demands", "place_region_code", "place_text",
        "complained_party", "people_involved", "head_count", "flags", "repeat_of_id",
        "first_petition", "accuser_sealed", "state", "triage_route", "handling_agency_id",
        "received_on", "registered_by_id", "accepted_on", "extended_days", "supervised",
        "closed_at", "agency_id", "version", "created_at", "updated_at",
    ),
    "core_matter_party": ("id", "matter_id", "person_id", "is_lead", "is_representative"),
    "core_matter_access": ("matter_id", "agency_id", "role", "granted_at"),
    "core_matter_index": ("matter_id", "content", "identity"),
    "core_clock": (
        "id", "matter_id", "kind", "label", "article", "start", "days", "unit",
        "extension_days", "paused", "due", "provisional", "explanation", "state", "stopped_on",
        "responsible_agency_id",
    ),
    "core_timeline_entry": (
        "id", "matter_id", "at", "user_id", "actor", "kind", "title", "body", "data",
    ),
}  # fmt: skip
JSON_COLUMNS = {"external_numbers", "demands", "flags", "paused", "data"}
BATCH = 10_000
REPEAT_WINDOW = 50_000  # repeats draw on the last this-many matters (people come back soon)


def _cumulative(shares) -> tuple[list[Any], list[float]]:
    values, weights, total = [], [], 0.0
    for value, weight in shares:
        total += weight
        values.append(value)
        weights.append(total)
    return values, weights


class Faker:
    """Seeded Chinese names, ID numbers, mobiles, addresses and summaries."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self._surnames = _cumulative(SURNAMES)
        self._pinyin: dict[str, str] = {}

    def pick(self, cumulative) -> Any:
        """A value drawn from ``_cumulative`` output."""
        values, weights = cumulative
        return self.rng.choices(values, cum_weights=weights)[0]

    def name(self) -> str:
        """A surname by frequency and a one- or two-character given name."""
        given = "".join(self.rng.choice(GIVEN) for _ in range(1 if self.rng.random() < 0.3 else 2))
        return self.pick(self._surnames) + given

    def homophone(self, name: str) -> str:
        """The same name as another clerk might type it (one character swapped if possible)."""
        chars = list(name)
        spots = [i for i, c in enumerate(chars) if c in HOMOPHONES]
        if spots:
            i = self.rng.choice(spots)
            chars[i] = HOMOPHONES[chars[i]]
        return "".join(chars)

    def pinyin(self, name: str) -> str:
        """``pinyin_key`` of ``name``, memoised (names repeat a lot)."""
        key = self._pinyin.get(name)
        if key is None:
            key = self._pinyin[name] = pinyin_key(name)
        return key

    def id_number(self, serial: int, born: date, male: bool) -> str:
        """A valid resident ID number, unique per ``serial``."""
        region = 410100 + serial // 999 % 9000  # spreads people over region codes
        order = serial % 999 // 2 * 2 + (1 if male else 0)
        order = order % 1000
        first17 = f"{region:06d}{born:%Y%m%d}{order:03d}"
        return first17 + check_digit(first17)

    def mobile(self) -> str:
        """A mobile number with a believable prefix."""
        prefix = self.rng.choice(("138", "139", "135", "136", "150", "151", "186", "187", "177"))
        return prefix + f"{self.rng.randrange(10**8):08d}"

    def one_digit_off(self, mobile: str) -> str:
        """``mobile`` with one digit mistyped."""
        i = self.rng.randrange(3, len(mobile))
        digit = str((int(mobile[i]) + self.rng.randrange(1, 10)) % 10)
        return mobile[:i] + digit + mobile[i + 1 :]

    def place(self) -> str:
        """A town or street and a community."""
        return self.rng.choice(TOWNS) + self.rng.choice(COMMUNITIES)

    def address(self) -> str:
        """A full address: town/street, community, road and number."""
        rng = self.rng
        if rng.random() < 0.5:
            return f"城关县{self.place()}{rng.choice(ROADS)}{rng.randrange(1, 300)}号"
        return (
            f"城关县{rng.choice(TOWNS)}{rng.choice(ESTATES)}{rng.randrange(1, 30)}栋"
            f"{rng.randrange(1, 6)}单元{rng.randrange(1, 30):d}0{rng.randrange(1, 5)}室"
        )

    def summary(self, level1: str, topic: str, place: str) -> str:
        """A summary from the category's templates with realistic variation."""
        rng = self.rng
        template = rng.choice(TEMPLATES.get(level1, TEMPLATES["其他"]))
        body = template.format(
            place=place,
            estate=rng.choice(ESTATES),
            topic=topic,
            company=rng.choice(COMPANIES),
            thing=rng.choice(THINGS),
            unit=rng.choice(UNITS),
            year=rng.randrange(2012, 2026),
            years=rng.randrange(2, 25),
            months=rng.randrange(2, 19),
            amount=rng.randrange(3, 900) * 100,
            count=rng.randrange(3, 120),
            acres=rng.randrange(2, 300),
        )
        if rng.random() < 0.4:
            body += rng.choice(DEMANDS) + "。"
        return body


@dataclass
class World:
    """What the generated rows refer to: agencies, users, categories, today."""

    agencies: dict[str, int]
    users: dict[str, int]
    categories: list[tuple[int, str, str]]  # (id, level-1 name, level-3 name)
    today: date
    region: str = "000000"
    category_weights: list[float] = field(default_factory=list)


def add_agencies() -> dict[str, int]:
    """Create the extra agencies (idempotent) and return every agency id by code."""
    from core.accounts.services import save_agency

    codes = {a.code: a.id for a in db.session.execute(select(Agency)).scalars()}
    for code, name, level, parent in EXTRA_AGENCIES:
        if code not in codes:
            codes[code] = save_agency(
                None, code=code, name=name, level=level, region_code=None, parent_id=codes[parent]
            ).id
    db.session.commit()
    return codes


def load_world(today: date) -> World:
    """Read agencies, users and the level-3 categories from the database."""
    from core.accounts.models import User

    agencies = add_agencies()
    users = {u.username: u.id for u in db.session.execute(select(User)).scalars()}
    nodes = {c.id: c for c in db.session.execute(select(ContentCategory)).scalars()}
    cats = []
    for c in sorted(nodes.values(), key=lambda c: c.code):
        if c.level != 3:
            continue
        top = c
        while top.parent_id is not None:
            top = nodes[top.parent_id]
        cats.append((c.id, top.name, c.name))
    per_top: dict[str, int] = {}
    for _, top, _ in cats:
        per_top[top] = per_top.get(top, 0) + 1
    weights, total = [], 0.0
    for _, top, _ in cats:
        total += CATEGORY_WEIGHTS.get(top, 1) / per_top[top]
        weights.append(total)
    return World(agencies, users, cats, today, category_weights=weights)


def _utc(day: date, rng: random.Random) -> datetime:
    # Office hours in Beijing time (UTC+8), stored in UTC.
    return datetime(day.year, day.month, day.day, 0, 30, tzinfo=UTC) + timedelta(
        minutes=rng.randrange(0, 540)
    )


@dataclass
class _Recent:
    matter_id: int
    person: tuple  # (id, name, id_number, mobile)
    summary: str
    category: tuple[int, str, str]
    place: str


class Generator:
    """Produces the rows of ``n`` matters in batches (dict: table → list of tuples)."""

    def __init__(self, world: World, n: int, seed: int, first_ids: dict[str, int]):
        self.world, self.n = world, n
        self.fake = Faker(seed)
        self.ids = dict(first_ids)
        self.serials: dict[str, int] = {}
        self.recent: list[_Recent] = []
        self.channels = _cumulative(CHANNEL_SHARES)
        self.purposes = _cumulative(PURPOSE_SHARES)
        self.states = [(age, _cumulative(shares)) for age, shares in STATE_SHARES]
        self.registering = _cumulative(REGISTERING)
        self.start = world.today - timedelta(days=3 * 365)
        self.people = 0  # persons created (ID serials)
        #: One JSON line per matter for the peer: the same fields through its own model.
        self.feed: list[str] = []

    def _next(self, table: str) -> int:
        value = self.ids[table]
        self.ids[table] = value + 1
        return value

    def _person(self, rows, day: date, name: str | None = None, with_id: bool = True, mobile=None):
        rng, fake = self.fake.rng, self.fake
        pid = self._next("core_person")
        name = name or fake.name()
        born = date(rng.randrange(1945, 2003), rng.randrange(1, 13), rng.randrange(1, 29))
        male = rng.random() < 0.55
        self.people += 1
        number = fake.id_number(self.people, born, male) if with_id else None
        if mobile is None and rng.random() < 0.92:
            mobile = fake.mobile()
        at = _utc(day, rng)
        rows["core_person"].append(
            (
                pid,
                "person",
                name,
                fake.pinyin(name) or None,
                "resident_id",
                number,
                ("男" if male else "女") if with_id else None,
                born if with_id else None,
                rng.choice(OCCUPATIONS),
                mobile,
                fake.address(),
                None,
                1,
                at,
                at,
            )
        )
        return (pid, name, number, mobile)

    def _number(self, channel: str, day: date) -> str:
        code = CHANNEL_CODES[channel]
        key = f"matter:{self.world.region}:{day.year}:{code}"
        serial = self.serials[key] = self.serials.get(key, 0) + 1
        return f"{self.world.region}{day.year}{code}{serial:06d}"

    def _query_code(self, matter_id: int) -> str:
        # A bijection of the id onto 10 characters (odd multiplier mod 32**10): unique.
        from core.cases.records.numbering import QUERY_ALPHABET

        value = (matter_id * 0x9E3779B1) % (32**10)
        chars = []
        for _ in range(10):
            value, r = divmod(value, 32)
            chars.append(QUERY_ALPHABET[r])
        return "".join(chars)

    def _state(self, age: int) -> str:
        for limit, shares in self.states:
            if age < limit:
                return self.fake.pick(shares)
        raise AssertionError("unreachable")

    def batches(self) -> Iterator[dict[str, list[tuple]]]:
        """The rows, ``BATCH`` matters at a time, oldest first."""
        span = (self.world.today - self.start).days
        for lo in range(0, self.n, BATCH):
            rows: dict[str, list[tuple]] = {t: [] for t in COLUMNS}
            for i in range(lo, min(self.n, lo + BATCH)):
                # Received dates grow with the id (a few days' jitter), like a real register.
                offset = min(span, max(0, int(span * i / self.n) + self.fake.rng.randrange(-2, 3)))
                self._matter(rows, self.start + timedelta(days=offset))
            yield rows

    def _matter(self, rows, day: date) -> None:
        rng, fake, world = self.fake.rng, self.fake, self.world
        mid = self._next("core_matter")
        age = (world.today - day).days
        channel = fake.pick(self.channels)
        purpose = fake.pick(self.purposes)
        handling_type = {"accusation": "accusation", "suggestion": "suggestion"}.get(
            purpose, "complaint"
        )
        flags: list[str] = []
        parties: list[tuple[tuple, bool, bool]] = []  # (person, lead, representative)
        repeat_of = None
        head_count = 1
        earlier = (
            self.recent[rng.randrange(len(self.recent))]
            if self.recent and rng.random() < 0.30
            else None
        )
        if earlier is not None:
            category, place = earlier.category, earlier.place
            person = earlier.person
            if rng.random() < 0.10:
                # The same person typed with a homophone name and no ID number.
                mobile = earlier.person[3]
                if mobile and rng.random() < 0.3:
                    mobile = fake.one_digit_off(mobile)
                person = self._person(
                    rows, day, fake.homophone(person[1]), with_id=False, mobile=mobile
                )
            summary = rng.choice(("再次反映：", "重复反映：", "此前反映的问题仍未解决，", ""))
            summary += earlier.summary
            if rng.random() < 0.5:
                summary += rng.choice(DEMANDS) + "。"
            parties.append((person, True, False))
            if rng.random() < 0.35:
                repeat_of = earlier.matter_id
        else:
            category = self.world.categories[
                rng.choices(range(len(world.categories)), cum_weights=world.category_weights)[0]
            ]
            place = fake.place()
            summary = fake.summary(category[1], category[2], place)
            anonymous = channel in ("letter", "online") and rng.random() < 0.02
            if anonymous:
                flags.append("anonymous")
            else:
                parties.append((self._person(rows, day), True, False))
            if channel == "visit" and rng.random() < 0.04:
                head_count = rng.randrange(6, 81)
                flags.append("collective")
                for _ in range(rng.randrange(2, 5)):
                    parties.append((self._person(rows, day), False, True))
                parties[0] = (parties[0][0], True, True)
        if purpose == "accusation" and rng.random() < 0.3:
            flags.append("threat" if rng.random() < 0.1 else "law_related")
        state = self._state(age)
        agency_code = fake.pick(self.registering)
        agency_id = world.agencies[agency_code]
        handler_code = HANDLERS.get(category[1], "CJJ")
        handling_agency_id = world.agencies[handler_code] if state in HANDLED else None
        accepted_on = (
            min(world.today, day + timedelta(days=rng.randrange(1, 15)))
            if state in ACCEPTED
            else None
        )
        created = _utc(day, rng)
        demands = [rng.choice(DEMANDS)] if rng.random() < 0.6 else []
        complained = rng.choice(COMPANIES + UNITS) if rng.random() < 0.5 else None
        number = self._number(channel, day)
        external = {"national": f"GJ{day:%Y%m%d}{mid:08d}"} if channel == "online" else {}
        closed_at = (
            _utc(min(world.today, day + timedelta(days=rng.randrange(20, 90))), rng)
            if state in ("terminated", "not_accepted", "answered", "referred_legal")
            else None
        )
        rows["core_matter"].append(
            (
                mid,
                number,
                self._query_code(mid),
                json.dumps(external),
                channel,
                purpose,
                handling_type,
                category[0],
                None,
                summary,
                json.dumps(demands, ensure_ascii=False),
                None,
                place,
                complained,
                head_count,
                head_count,
                json.dumps(sorted(flags)),
                repeat_of,
                earlier is None,
                handling_type == "accusation",
                state,
                ("assign" if state == "assigned" else "forward") if handling_agency_id else None,
                handling_agency_id,
                day,
                world.users.get("clerk"),
                accepted_on,
                0,
                rng.random() < 0.02,
                closed_at,
                agency_id,
                1,
                created,
                closed_at or created,
            )
        )
        for person, lead, rep in parties:
            rows["core_matter_party"].append(
                (self._next("core_matter_party"), mid, person[0], lead, rep)
            )
        if handling_agency_id:
            rows["core_matter_access"].append((mid, handling_agency_id, "handling", created))
        doc = SimpleNamespace(
            state=state,
            channel=channel,
            category_id=category[0],
            agency_id=agency_id,
            handling_agency_id=handling_agency_id,
            flags=flags,
            number=number,
            summary=summary,
            demands=demands,
            place_text=place,
            complained_party=complained,
            hot_topic=None,
            external_numbers=external,
            parties=[
                SimpleNamespace(person=SimpleNamespace(name=p[1], id_number=p[2], mobile=p[3]))
                for p, _, _ in parties
            ],
        )
        content, identity = index_row(doc)
        rows["core_matter_index"].append((mid, content, identity))
        self._clocks(rows, mid, state, day, accepted_on, agency_id, handling_agency_id)
        actor = "登记员小张"
        rows["core_timeline_entry"].append(
            (
                self._next("core_timeline_entry"),
                mid,
                created,
                world.users.get("clerk"),
                actor,
                "transition",
                f"登记（{ {'visit': '走访', 'letter': '来信', 'phone': '电话', 'online': '网上信访'}[channel] }）",  # noqa: E501
                summary,
                "{}",
            )
        )
        if handling_agency_id:
            rows["core_timeline_entry"].append(
                (
                    self._next("core_timeline_entry"),
                    mid,
                    created + timedelta(days=rng.randrange(1, 10)),
                    world.users.get("supervisor"),
                    "督查员",
                    "transition",
                    "交办" if state == "assigned" else "转送",
                    "",
                    json.dumps({"before": "registered", "after": state}),
                )
            )
        if parties:
            recent = _Recent(mid, parties[0][0], summary[:120], category, place)
            if len(self.recent) < REPEAT_WINDOW:
                self.recent.append(recent)
            else:
                self.recent[mid % REPEAT_WINDOW] = recent
        lead = parties[0][0] if parties else (None, "", None, None)
        self.feed.append(
            json.dumps(
                {
                    "title": summary[:60],
                    "description": summary + ("\n" + "；".join(demands) if demands else ""),
                    "name": lead[1],
                    "id_number": lead[2] or "",
                    "mobile": lead[3] or "",
                    "agency": agency_code,
                    "state": state,
                    "channel": channel,
                    "received_on": day.isoformat(),
                },
                ensure_ascii=False,
            )
        )

    def _clocks(self, rows, mid, state, day, accepted_on, agency_id, handling_id) -> None:
        rng, today = self.fake.rng, self.world.today

        def clock(kind, label, article, start, days, running, responsible):
            due = start + timedelta(days=days)
            stopped = None
            status = "running"
            if not running:
                stopped = min(today, start + timedelta(days=rng.randrange(0, days + 3)))
                status = "met" if stopped <= due else "missed"
            rows["core_clock"].append(
                (
                    self._next("core_clock"),
                    mid,
                    kind,
                    label,
                    article,
                    start,
                    days,
                    "calendar",
                    0,
                    "[]",
                    due,
                    False,
                    f"自{start.isoformat()}起{days}日，至{due.isoformat()}届满",
                    status,
                    stopped,
                    responsible,
                )
            )

        clock(
            "disposition",
            "登记转送交办",
            "条例第22条",
            day,
            15,
            state == "registered",
            agency_id,
        )
        if accepted_on is not None:
            still = state in ("in_handling", "suspended", "opinion_pending", "completion_review")
            clock("handling", "办理期限", "条例第34条", accepted_on, 60, still, handling_id)
        if state == "review_window":
            clock("review_window", "复查申请期", "条例第35条", day, 30, True, None)

    def sequences(self) -> dict[str, int]:
        """The counter values after the numbers used."""
        return dict(self.serials)


def _sqlite_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return int(value)
    return value


def _write(conn, dialect: str, rows: dict[str, list[tuple]]) -> None:
    for table, data in rows.items():
        if not data:
            continue
        cols = COLUMNS[table]
        if dialect == "postgresql":
            with (
                conn.cursor() as cur,
                cur.copy(f"COPY {table} ({', '.join(cols)}) FROM STDIN") as cp,
            ):
                for row in data:
                    cp.write_row(row)
        else:
            marks = ", ".join("?" for _ in cols)
            conn.executemany(
                f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({marks})",
                [tuple(_sqlite_value(v) for v in row) for row in data],
            )


def _first_ids() -> dict[str, int]:
    out = {}
    for table in COLUMNS:
        if table in ("core_matter_access", "core_matter_index"):
            continue
        top = db.session.execute(text(f"SELECT max(id) FROM {table}")).scalar()
        out[table] = (top or 0) + 1
    return out


GIN_INDEXES = ("content", "identity")


def bulk_fill(n: int, seed: int = 20261126, feed_path=None, progress=print) -> dict[str, Any]:
    """Generate ``n`` matters and load them; return counts. Runs inside an app context."""
    from core.cases.clocks.clocks import today

    world = load_world(today())
    dialect = db.engine.dialect.name
    gen = Generator(world, n, seed, _first_ids())
    db.session.commit()
    raw = db.engine.raw_connection()
    driver = raw.driver_connection
    counts = dict.fromkeys(COLUMNS, 0)
    feed = open(feed_path, "w", encoding="utf-8") if feed_path else None  # noqa: SIM115
    try:
        if dialect == "postgresql":
            for col in GIN_INDEXES:
                driver.execute(f"DROP INDEX IF EXISTS ix_core_matter_index_{col}_tsv")
            driver.commit()
        else:
            driver.execute("PRAGMA synchronous=OFF")
            driver.execute("BEGIN")
        done = 0
        for rows in gen.batches():
            _write(driver, dialect, rows)
            for table, data in rows.items():
                counts[table] += len(data)
            done += len(rows["core_matter"])
            if feed:
                feed.write("\n".join(gen.feed) + "\n")
            gen.feed.clear()
            if dialect == "postgresql":
                driver.commit()
            if done % 100_000 == 0 or done == n:
                progress(f"  generated {done:,} matters")
        if dialect == "postgresql":
            driver.execute("SET maintenance_work_mem = '512MB'")
            for col in GIN_INDEXES:
                driver.execute(
                    f"CREATE INDEX ix_core_matter_index_{col}_tsv ON core_matter_index "
                    f"USING gin ({col}_tsv)"
                )
            for table in COLUMNS:
                if table in ("core_matter_access", "core_matter_index"):
                    continue
                driver.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT max(id) FROM {table}))"
                )
        for key, value in gen.sequences().items():
            if dialect == "postgresql":
                driver.execute(
                    "INSERT INTO core_sequence (key, value) VALUES (%s, %s) "
                    "ON CONFLICT (key) DO UPDATE SET value = GREATEST(core_sequence.value, "
                    "EXCLUDED.value)",
                    (key, value),
                )
            else:
                driver.execute(
                    "INSERT INTO core_sequence (key, value) VALUES (?, ?) "
                    "ON CONFLICT (key) DO UPDATE SET value = max(value, excluded.value)",
                    (key, value),
                )
        driver.commit() if dialect == "postgresql" else driver.execute("COMMIT")
        if dialect == "postgresql":
            driver.autocommit = True
            driver.execute("VACUUM ANALYZE")
            driver.autocommit = False
        else:
            driver.execute("PRAGMA synchronous=NORMAL")
            driver.execute("ANALYZE")
    finally:
        raw.close()
        if feed:
            feed.close()
    return counts
