from core.api import Manifest, MenuItem

manifest = Manifest(
    name="almanac",
    title="黄历（测试插件）",
    version="1.0.0",
    summary="以入口点注册的外部插件，只用于测试",
    permissions={"almanac.view": "查看黄历"},
    menu=(MenuItem("黄历", "almanac.index", "almanac.view"),),
    default_grants={"admin": ("almanac.view",)},
    blueprint="minsheng_almanac.blueprint:bp",
    models="minsheng_almanac.models",
    seed="minsheng_almanac.services:seed",
)
