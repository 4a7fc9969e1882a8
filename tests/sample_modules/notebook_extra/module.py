from core.api import Manifest

manifest = Manifest(
    name="notebook_extra",
    title="记事本扩展（测试模块）",
    version="1.0.0",
    requires=("notebook",),
    permissions={"notebook_extra.use": "使用扩展"},
)
