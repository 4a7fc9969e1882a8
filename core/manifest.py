"""Core's own manifest: the permissions, menu and jobs of the platform itself."""

from core.registry.manifest import Job, Manifest, MenuItem

manifest = Manifest(
    name="core",
    title="核心",
    version="0.1.0",
    summary="平台、账户与权限、审计、信访事项档案",
    permissions={
        "core.admin.modules": "安装、升级、卸载模块",
        "core.admin.users": "管理用户",
        "core.admin.roles": "管理角色与权限",
        "core.admin.agencies": "管理机构",
        "core.audit.view": "查看审计日志",
        "core.records.bureau": "查看本局及所属全部机构的记录",
        "core.records.all": "查看所有机构的记录",
        "core.personal_data.view": "查看未脱敏的个人信息（查看行为记入审计）",
        "core.api.use": "通过 API 访问",
    },
    menu=(
        MenuItem("模块管理", "core.modules", "core.admin.modules", order=900),
        MenuItem("用户", "core.users", "core.admin.users", order=910),
        MenuItem("角色与权限", "core.roles", "core.admin.roles", order=920),
        MenuItem("机构", "core.agencies", "core.admin.agencies", order=930),
        MenuItem("审计日志", "core.audit_log", "core.audit.view", order=950),
    ),
    seed="core.seed:seed_roles",
    default_grants={
        "admin": (
            "core.admin.modules",
            "core.admin.users",
            "core.admin.roles",
            "core.admin.agencies",
            "core.audit.view",
            "core.records.all",
            "core.api.use",
        ),
        "auditor": ("core.audit.view", "core.records.all"),
        "supervisor": ("core.records.bureau", "core.personal_data.view"),
        "leader": ("core.records.bureau",),
        "registration_clerk": ("core.personal_data.view",),
        "reception_officer": ("core.personal_data.view",),
        "letters_clerk": ("core.personal_data.view",),
        "case_handler": ("core.personal_data.view",),
        "evaluator": ("core.records.bureau",),
    },
    jobs=(
        Job(
            "core.prune_login_attempts",
            "core.accounts.throttle:prune",
            "cron",
            {"hour": 3, "minute": 10},
            "清理过期的登录尝试记录",
        ),
        Job(
            "core.ldap_sync",
            "core.accounts.sync_job:run",
            "cron",
            {"hour": 2, "minute": 0},
            "与目录服务器同步用户（新增、更新、停用）",
        ),
    ),
)
