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

#: Matter states (core/cases/lifecycle/table.py ``STATES``).
MATTER_STATES = (
    N_("已登记"),
    N_("已转送"),
    N_("已交办"),
    N_("异议待核"),
    N_("已导入法定途径"),
    N_("已转纪检监察"),
    N_("不予受理"),
    N_("当场答复"),
    N_("办理中"),
    N_("听证中（期限中止）"),
    N_("意见待审批"),
    N_("意见已出具"),
    N_("办结报告待审核"),
    N_("复查申请期"),
    N_("复查中"),
    N_("复核申请期"),
    N_("复核中"),
    N_("已终结"),
)

#: Channels, purposes, handling types and flags of a matter (core/cases/models/matter.py).
MATTER_LABELS = (
    N_("走访"),
    N_("来信"),
    N_("电话"),
    N_("网上信访"),
    N_("传真"),
    N_("求决"),
    N_("申诉"),
    N_("揭发控告"),
    N_("建议意见"),
    N_("咨询"),
    N_("其他"),
    N_("建议意见类"),
    N_("检举控告类"),
    N_("申诉求决类"),
    N_("匿名"),
    N_("联名"),
    N_("集体访"),
    N_("涉法涉诉"),
    N_("越级"),
    N_("重大紧急"),
    N_("扬言"),
    N_("涉外/涉港澳台侨"),
    N_("积案"),
    N_("姓名或地址不清"),
    N_("逐级转送来件"),
)

#: Deadlines: clock kinds and their articles (core/cases/clocks/clocks.py ``CLOCK_KINDS``).
CLOCKS = (
    N_("登记转送交办"),
    N_("逐级转送（国家级）"),
    N_("逐级转送（省级）"),
    N_("逐级转送（市级）"),
    N_("逐级转送（县级）"),
    N_("书面告知受理"),
    N_("异议期"),
    N_("办理期限"),
    N_("交办期限"),
    N_("上级交办期限"),
    N_("复查申请期"),
    N_("复查期限"),
    N_("复核申请期"),
    N_("复核期限"),
    N_("改进建议书面反馈"),
    N_("建议意见处理结果告知"),
    N_("条例第22条"),
    N_("国信发〔2014〕16号第6条"),
    N_("条例第23条"),
    N_("条例第23条第3款"),
    N_("条例第34条"),
    N_("条例第22条第1款第3项"),
    N_("条例第22条第1款第3项（上级交办）"),
    N_("条例第35条"),
    N_("条例第36条"),
    N_("条例第36条（听证时间不计入）"),
    N_("条例第40条第4款；2005年条例第36条"),
    N_("地方信访条例（建议意见类）"),
)

#: Issued documents (``DOCUMENTS``) and timeline kinds (``TIMELINE_KINDS``) of
#: core/cases/lifecycle/table.py.
DOCUMENT_TITLES = (
    N_("受理告知书"),
    N_("不予受理告知书"),
    N_("不再受理告知书"),
    N_("信访事项交办单"),
    N_("延期办理告知书"),
    N_("信访事项处理意见书"),
    N_("信访事项复查意见书"),
    N_("信访事项复核意见书"),
    N_("办理步骤"),
    N_("备注"),
    N_("文书"),
    N_("信息修改"),
    N_("期限"),
)

#: Choices of the step and rating forms (core/cases/lifecycle/opinions.py, triage.py;
#: core/cases/records/rating.py ``VALUES``, ``METHODS``).
STEP_CHOICES = (
    N_("予以支持"),
    N_("作出解释说明"),
    N_("不予支持"),
    N_("直接送达"),
    N_("邮寄送达"),
    N_("其他方式"),
    N_("诉讼"),
    N_("申诉（申请再审）"),
    N_("行政诉讼"),
    N_("检察监督"),
    N_("公安机关"),
    N_("仲裁"),
    N_("劳动人事争议仲裁"),
    N_("行政复议"),
    N_("其他行政程序"),
    N_("党员申诉"),
    N_("已经或者依法应当通过诉讼、仲裁、行政复议等法定途径解决"),
    N_("已生效的调解协议处理的事项"),
    N_("无正当理由超过复查、复核申请期限"),
    N_("已经复核终结，以同一事实和理由再次提出"),
    N_("不属于本机关职权范围"),
    N_("正在办理期间向上级机关就同一事项提出（条例第19条第3款）"),
    N_("满意"),
    N_("基本满意"),
    N_("不满意"),
    N_("电话回访"),
    N_("上门回访"),
    N_("来访当面评价"),
    N_("短信回访"),
    N_("信访人凭查询码网上评价"),
)


def pgettext(context: str, message: str) -> str:
    """Marks ``message`` in ``context`` for the extractor (a default keyword); returns it."""
    return message


#: Labels shown through ``pgettext``: the app merges every catalog into one, where a module's
#: entry of the same text wins (hearings' 进行中, stability_fund's 同意 mean something else).
#: A clock's state (core/cases/web/reading.py ``CLOCK_STATES``, the matter page).
CLOCK_STATES = (
    pgettext("clock", "进行中"),
    pgettext("clock", "中止计算"),
    pgettext("clock", "按期完成"),
    pgettext("clock", "超期完成"),
    pgettext("clock", "期满未申请"),
    pgettext("clock", "已撤销"),
)
#: The petitioner's view of the opinion delivered (core/cases/lifecycle/opinions.py
#: ``PETITIONER_VIEWS``, the delivery step's choices).
PETITIONER_VIEWS = (
    pgettext("petitioner view", "同意"),
    pgettext("petitioner view", "不同意"),
    pgettext("petitioner view", "无明确意见"),
)

#: Why a login failed (core/accounts/login.py), shown on the login page.
LOGIN = (
    N_("用户名或密码不正确。"),
    N_("目录服务器查询出错，请稍后再试或联系管理员。"),
    N_("该账户已停用，请联系管理员。"),
    N_("登录失败次数较多，请先回答验证问题。"),
    N_("验证问题的答案不正确，请重新回答。"),
)

#: What is wrong with a resident ID number (core/cases/people/idcard.py), on the forms.
ID_NUMBER_PROBLEMS = (
    N_("身份证号码应为 18 位，前 17 位为数字，最后一位为数字或 X。"),
    N_("身份证号码中的出生日期无效。"),
    N_("身份证号码校验位不正确，请核对后重新输入。"),
)

#: Core's roles and their descriptions (core/seed.py ``ROLES``) and core's permissions
#: (core/manifest.py), shown on the account and administration pages.
ROLES = (
    N_("登记员"),
    N_("承办人"),
    N_("单位负责人"),
    N_("信访局督查员"),
    N_("领导"),
    N_("审计员"),
    N_("系统管理员"),
    N_("登记台：登记来访、来信、来电，初步分流"),
    N_("责任单位承办信访事项、调查、拟写处理意见"),
    N_("审批处理意见、延期申请"),
    N_("督办、审核办结报告、退回重办"),
    N_("阅批、领导接访、包案"),
    N_("查看审计日志与全部记录"),
    N_("模块、用户、角色、机构与代码表"),
    N_("安装、升级、卸载模块"),
    N_("管理用户"),
    N_("管理角色与权限"),
    N_("管理机构"),
    N_("查看审计日志"),
    N_("查看本局及所属全部机构的记录"),
    N_("查看所有机构的记录"),
    N_("查看未脱敏的个人信息（查看行为记入审计）"),
    N_("通过 API 访问"),
    N_("查看信访事项（记录规则范围内，不办理），如值班律师"),
    N_("登记信访事项、拟办"),
    N_("分流：转送、交办、不予受理、导入法定途径"),
    N_("办理：受理、调查、拟写处理意见、送达、提出异议"),
    N_("审批处理意见与延期"),
    N_("领导阅批"),
    N_("复查、复核（上级机关）"),
    N_("录入满意度评价"),
    N_("维护节假日日历"),
    N_("维护内容分类"),
)

#: Fixed refusals of core's services (core/cases/lifecycle, records/rating.py, files, search),
#: shown on the pages through ``apply_errors`` or beside the form.
REFUSALS = (
    N_("文件为空。"),
    N_("请选择信访形式。"),
    N_("请选择信访目的。"),
    N_("请选择事项类别。"),
    N_("请填写内容摘要（诉求、事实和理由）。"),
    N_("收到日期不能晚于今天。"),
    N_("请至少登记一名信访人（匿名信访请勾选“匿名”）。"),
    N_("信访人数不能少于已登记的信访人数。"),
    N_("请填写信访人姓名或单位名称。"),
    N_("您的账户未设置所属机构，不能登记信访事项。"),
    N_("登记信息有误，请按提示修改。"),
    N_("未知的操作。"),
    N_("日期不能晚于今天。"),
    N_("请填写必填项。"),
    N_("请选择评价对象（信访部门或责任单位）。"),
    N_("请选择回访方式。"),
    N_("评价为“不满意”时，须记录信访人不满意的理由。"),
    N_("理由不能超过 2000 字。"),
    N_("您没有录入满意度评价的权限。"),
    N_("评价信息有误，请按提示修改。"),
    N_("请选择“满意”“基本满意”或“不满意”。"),
    N_("涉法涉诉事项不纳入群众满意度评价。"),
    N_("处理意见尚未送达信访人，暂不能评价。"),
    N_("该对象已评价，不能重复评价。"),
    N_("结束日期不能早于开始日期。"),
)

#: The deadline settings and day kinds on the holiday calendar page (core/cases/clocks/clocks.py
#: ``settings_table``, calendar.py ``DayKind.label``); the clocks' own labels are in ``CLOCKS``.
CALENDAR = (
    N_(
        "期间最后一日为休息日时顺延：rest_day 任何休息日（含周末）、"
        "holiday 仅法定节假日、none 不顺延"
    ),
    N_("民法典第203条"),
    N_("休息日收到的视为下一个工作日收到（地方做法）"),
    N_("民法典第201条；地方做法"),
    N_("工作日"),
    N_("周末"),
    N_("法定节假日"),
    N_("调休上班日"),
)
