"""Labels the templates translate at render time, listed here so that the extractor finds them.

Menu items and module titles (manifests), lifecycle steps, work-queue tabs, rating states, party
roles and error messages are data in Python; the templates pass them through ``_()`` as they
render, but ``pybabel extract`` only sees literal strings. Each one is repeated here inside
``N_()`` (scripts/translations.sh extracts with ``-k N_``). Nothing imports this module, and it
has no side effects. tests/test_i18n.py checks that every such label in the code has an English
translation, so a label added there without a line here fails the tests.
"""

from __future__ import annotations

from core.web.i18n import N_

#: Module titles (``Manifest.title``, shown on the home page).
MODULE_TITLES = (N_("核心"),)

#: Menu items of core/manifest.py.
MENU = (
    N_("登记"),
    N_("待办"),
    N_("模块管理"),
    N_("用户"),
    N_("角色与权限"),
    N_("机构"),
    N_("审计日志"),
    N_("节假日日历"),
    N_("期限提醒"),
)

#: Work-queue tabs (core/cases/web/queue.py ``TABS``).
QUEUE_TABS = (
    N_("我的"),
    N_("即将到期"),
    N_("已超期"),
    N_("待我审核"),
    N_("全部"),
)

#: Lifecycle steps (``Transition.label``, the stages in core/cases/lifecycle/).
STEPS = (
    N_("转送"),
    N_("交办"),
    N_("导入法定途径（诉访分离）"),
    N_("转纪检监察机关"),
    N_("不予受理"),
    N_("不再受理（已终结事项重复信访）"),
    N_("当场答复"),
    N_("提出异议（不属本机关职权）"),
    N_("同意异议，退回重新分流"),
    N_("不同意异议"),
    N_("受理并书面告知"),
    N_("拟办意见"),
    N_("领导阅批"),
    N_("调查笔记"),
    N_("延期办理（经负责人批准）"),
    N_("拟写处理意见"),
    N_("退回修改处理意见"),
    N_("批准并出具处理意见书"),
    N_("登记送达"),
    N_("审核通过办结报告"),
    N_("退回重办"),
    N_("登记复查申请"),
    N_("出具复查意见书"),
    N_("登记复查意见书送达"),
    N_("登记复核申请"),
    N_("举行听证（复核期限中止）"),
    N_("听证结束（复核期限恢复）"),
    N_("出具复核意见书（终结）"),
    N_("督办（指定跟踪人）"),
    N_("提出改进建议"),
    N_("改进建议书面反馈"),
)

#: Rating objects and states (core/cases/records/rating.py ``TARGETS``, ``STATUS_LABELS``).
RATING = (
    N_("信访部门"),
    N_("责任单位"),
    N_("已评价"),
    N_("待评价"),
    N_("超期未评价"),
    N_("尚未答复，暂不能评价"),
    N_("不参加评价"),
)

#: A petitioner's part in a matter (core/cases/web/reading.py ``party_role``).
PARTY_ROLES = (N_("主访人"), N_("代表"), N_("信访人"))

#: Error pages (core/web/errors.py).
ERRORS = (
    N_("请求无效。"),
    N_("请先登录。"),
    N_("您没有执行此操作的权限。"),
    N_("页面不存在，或所属模块未安装。"),
    N_("不支持此操作方式。"),
    N_("数据已被他人修改，请刷新后重试。"),
    N_("上传的文件过大。"),
    N_("请求地址过长，请缩短查询条件。"),
    N_("操作过于频繁，请稍后再试。"),
    N_("系统出现错误，已记录，请稍后再试或联系管理员。"),
    N_("请求无法完成。"),
    N_("表单已过期或来源无效（CSRF 校验失败），请刷新页面后重试。"),
)
