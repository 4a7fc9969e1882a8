"""The seeded 内容分类 tree (REGULATION.md §6.1); administrators edit it afterwards."""

from __future__ import annotations

from sqlalchemy import or_, select

from core.cases.models import ContentCategory
from core.extensions import db

TREE: dict[str, dict[str, list[str]]] = {
    "农村农业": {
        "村务管理": ["集体资产管理", "集体财务公开", "村务公开", "村级债务"],
        "土地承包经营": ["土地承包", "土地流转"],
        "扶贫开发": ["扶贫开发资金使用管理"],
        "宅基地": ["宅基地审批", "宅基地纠纷"],
    },
    "国土资源": {
        "征地": ["征地补偿安置", "征地程序"],
        "土地权属": ["土地权属争议"],
        "矿产资源": ["非法采矿"],
    },
    "城乡建设": {
        "国有土地上房屋征收与补偿": ["补偿标准", "安置房", "强制拆除"],
        "集体土地上房屋拆迁与补偿": ["拆迁补偿", "过渡安置"],
        "住房保障": ["保障性住房", "棚户区改造"],
        "物业管理": ["物业服务", "维修资金"],
        "城市管理": ["违法建设", "市容环境"],
    },
    "劳动和社会保障": {
        "劳动关系": ["拖欠工资", "拖欠农民工工资", "劳动合同", "工伤认定"],
        "城镇职工社会保险": ["养老保险", "医疗保险", "失业保险"],
        "城镇居民社会保险": ["居民养老保险", "居民医疗保险"],
    },
    "卫生计生": {"医疗纠纷": ["医疗事故", "医疗服务"], "计划生育": ["计生奖励扶助"]},
    "教育": {"教育管理": ["入学招生", "教育收费"], "教师待遇": ["工资待遇", "职称评定"]},
    "民政": {"社会救助": ["最低生活保障", "临时救助", "特困供养"], "优抚安置": ["优抚待遇"]},
    "政法": {
        "涉法涉诉": ["民事诉讼", "行政诉讼", "刑事诉讼", "执行"],
        "治安管理": ["治安案件", "户籍管理"],
    },
    "经济管理": {"企业改制": ["职工安置", "改制遗留问题"], "金融": ["非法集资"]},
    "交通运输": {"道路交通": ["道路建设", "客运出租"]},
    "环境保护": {"环境污染": ["大气污染", "水污染", "噪声污染"]},
    "纪检监察": {"干部作风": ["违纪违法", "工作作风"]},
    "组织人事": {"干部管理": ["选拔任用"], "退休待遇": ["离退休待遇"]},
    "退役军人事务": {"安置待遇": ["退役安置", "优待抚恤"]},
    "其他": {"其他": ["其他"]},
}


def seed_categories() -> None:
    """Create the three-level tree with codes ``01``, ``0101``, ``010101`` if not present."""
    if db.session.execute(select(ContentCategory.id).limit(1)).first():
        return
    for i, (first, seconds) in enumerate(TREE.items(), 1):
        a = ContentCategory(code=f"{i:02d}", name=first, level=1)
        db.session.add(a)
        for j, (second, thirds) in enumerate(seconds.items(), 1):
            b = ContentCategory(code=f"{i:02d}{j:02d}", name=second, level=2, parent=a)
            db.session.add(b)
            for k, third in enumerate(thirds, 1):
                db.session.add(
                    ContentCategory(code=f"{i:02d}{j:02d}{k:02d}", name=third, level=3, parent=b)
                )


def subtree(category_id: int) -> list[int]:
    """``category_id`` and the ids of every category below it (the tree has three levels)."""
    tree = ContentCategory.__table__
    children = select(tree.c.id).where(tree.c.parent_id == category_id)
    found = select(tree.c.id).where(
        or_(
            tree.c.id == category_id,
            tree.c.parent_id == category_id,
            tree.c.parent_id.in_(children),
        )
    )
    return list(db.session.connection().execute(found).scalars())
