"""Manifest of the evaluation module (考核): department performance per period."""

from core.api import N_, Manifest, MenuItem, RoleSpec

manifest = Manifest(
    name="evaluation",
    title=N_("部门考核"),
    version="1.0.0",
    summary="考核期、加权指标方案（及时受理率、按期办结率、群众满意率、参评率）、"
    "按责任单位计算并留存快照、加减分、发布锁定",
    requires=(),
    permissions={
        "evaluation.view": "查看考核期与考核结果",
        "evaluation.manage": "建立考核期、计算得分、加减分与发布",
    },
    menu=(MenuItem(N_("部门考核"), "evaluation.periods", "evaluation.view", order=90),),
    default_grants={
        "evaluator": ("evaluation.view", "evaluation.manage", "core.records.bureau"),
        "leader": ("evaluation.view",),
        "supervisor": ("evaluation.view",),
    },
    roles=(RoleSpec("evaluator", "考核员", "部门考核评分"),),
    blueprint="modules.evaluation.blueprint:bp",
    models="modules.evaluation.models",
    seed="modules.evaluation.services:seed",
)
