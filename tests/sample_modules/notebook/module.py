from core.api import Job, Manifest, MenuItem

manifest = Manifest(
    name="notebook",
    title="记事本（测试模块）",
    version="1.0.0",
    summary="证明模块机制、记录规则与脱敏的测试模块",
    permissions={"notebook.view": "查看记事", "notebook.edit": "编辑记事"},
    menu=(MenuItem("记事本", "notebook.index", "notebook.view"),),
    jobs=(
        Job(
            "notebook.count",
            "tests.sample_modules.notebook.jobs:count",
            "interval",
            {"hours": 1},
            "统计记事",
        ),
    ),
    settings={"page_size": 20},
    default_grants={
        "case_handler": ("notebook.view",),
        "admin": ("notebook.view", "notebook.edit"),
    },
    blueprint="tests.sample_modules.notebook.blueprint:bp",
    models="tests.sample_modules.notebook.models",
    seed="tests.sample_modules.notebook.services:seed",
)
