"""Manifest of the evaluation module (考核): department performance per period."""

from core.api import N_, Job, Manifest, MenuItem, PdfTemplate, RoleSpec

manifest = Manifest(
    name="evaluation",
    title=N_("部门考核"),
    version="2.0.0",
    summary="考核期（月度、季度、年度）、指标（及时受理率、按期办结率、参评率、满意率、重复信访率、"
    "一次性化解率、初信初访/重信重访/历史积案化解率、网信占比、息访率）由案卷按 SQL 汇总计算、"
    "方案（权重、目标、扣分与上限）、逐项钻取到事项、自评与复核、加减分、发布锁定、通报 PDF、看板",
    requires=(),
    permissions={
        "evaluation.view": "查看考核期与考核结果（部门负责人只看本单位）",
        "evaluation.manage": "建立考核期、计算得分、加减分、复核自评、发布与印发通报",
        "evaluation.self_assess": "提交本单位自评",
    },
    menu=(MenuItem(N_("部门考核"), "evaluation.periods", "evaluation.view", order=90),),
    default_grants={
        "evaluator": ("evaluation.view", "evaluation.manage", "core.records.bureau"),
        "leader": ("evaluation.view",),
        "supervisor": ("evaluation.view",),
        "unit_leader": ("evaluation.view", "evaluation.self_assess"),
    },
    roles=(RoleSpec("evaluator", "考核员", "部门考核评分"),),
    jobs=(
        Job(
            "evaluation.bulletins",
            "modules.evaluation.services:scheduled",
            "cron",
            {"day": 5, "hour": 6, "minute": 30},
            "每月 5 日：上月考核期（无则建立、计算并发布）印发月度通报；1 月另印发上年年终通报",
        ),
    ),
    pdf_templates=(PdfTemplate("bulletin", "evaluation/pdf/bulletin.html", "考核情况通报"),),
    blueprint="modules.evaluation.blueprint:bp",
    models="modules.evaluation.models",
    seed="modules.evaluation.services:seed",
    demo="modules.evaluation.demo:load",
)
