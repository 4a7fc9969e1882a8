"""Letters and online petitions (办信与网上信访): intake, first handler, replies, review."""

from core.api import N_, Job, Manifest, MenuItem, PdfTemplate, RoleSpec

manifest = Manifest(
    name="letters",
    title=N_("办信与网上信访"),
    version="1.1.0",
    summary="来信登记、首办责任、上级交办件、网上信访与查询码答复、评查与统计",
    requires=(),
    permissions={
        "letters.view": "查看办信台与来信",
        "letters.intake": "登记来信（含批量登记、打印编号标签）",
        "letters.manage": "指定首办责任人、记录会审、打印答复函与寄发登记",
        "letters.review": "评查信访人不同意的答复",
        "letters.stats": "查看来信统计",
    },
    menu=(
        MenuItem(N_("办信"), "letters.desk", "letters.view", order=30),
        MenuItem(N_("来信评查"), "letters.disagreements", "letters.review", order=70),
        MenuItem(N_("来信统计"), "letters.counts", "letters.stats", order=80),
    ),
    jobs=(
        Job(
            "letters.prune",
            "modules.letters.services:prune",
            "cron",
            {"hour": 3, "minute": 30},
            "清理过期的网上信访限流记录与验证题",
        ),
    ),
    pdf_templates=(
        PdfTemplate("label", "letters/pdf/label.html", "来信编号标签"),
        PdfTemplate("reply", "letters/pdf/reply.html", "答复函（开窗信封）"),
    ),
    settings={
        # Code of the agency that receives online petitions; empty: the first bureau-level one.
        "receiving_agency_code": "",
        "submit_limit": 5,  # online submissions per address per window
        "query_limit": 20,  # query-code look-ups per address per window
        "window_minutes": 60,
        "challenge": True,  # arithmetic question on the public form
        "max_files": 5,
        "max_file_mb": 10,
    },
    default_grants={
        "letters_clerk": (
            "core.personal_data.view",
            "core.cases.register",
            "core.cases.triage",
            "letters.view",
            "letters.intake",
            "letters.manage",
            "letters.stats",
        ),
        "supervisor": (
            "letters.view",
            "letters.intake",
            "letters.manage",
            "letters.review",
            "letters.stats",
        ),
        "leader": ("letters.view", "letters.review", "letters.stats"),
    },
    roles=(RoleSpec("letters_clerk", "办信员", "办信：来信与网上信访的录入、拟办、转交办"),),
    blueprint="modules.letters.blueprint:bp",
    models="modules.letters.models",
    seed="modules.letters.services:seed",
)
