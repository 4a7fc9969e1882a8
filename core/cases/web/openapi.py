"""The OpenAPI 3.1 document of the case-file API (``/api/v1/openapi.json``), written by hand.

Keep it in step with ``core.cases.web.api``: a test checks that every route under ``/api/v1`` is
described here with the same methods.
"""

from __future__ import annotations

from typing import Any

from core.cases.lifecycle.table import STATES
from core.cases.models.matter import CHANNELS, FLAGS
from core.cases.search.query import MAX_QUERY
from core.cases.web.openapi_schemas import SCHEMAS, enum_of, ref
from core.cases.web.queue import TABS
from core.web.http import INT_MAX

VERSION = "1.0.0"


def _error(description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": ref("Error")}}}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


#: An id: PostgreSQL's ``integer`` (the server refuses bigger ones with a reason).
ID = {"type": "integer", "minimum": 1, "maximum": INT_MAX}

MATTER_ID = {
    "name": "matter_id",
    "in": "path",
    "required": True,
    "schema": ID,
    "description": "事项 id（不是信访件编号）；超出范围的 id 答 404",
}
PAGING = [
    {
        "name": "page",
        "in": "query",
        "schema": {"type": "integer", "minimum": 1, "maximum": INT_MAX, "default": 1},
    },
    {
        "name": "per_page",
        "in": "query",
        "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 30},
    },
]
SEARCH_PARAMETERS = [
    {
        "name": "q",
        "in": "query",
        "schema": {"type": "string", "maxLength": MAX_QUERY},
        "description": (
            "关键词：编号、摘要、诉求、问题发生地、被反映对象；"
            "有权限时也查信访人姓名、证件号码、电话"
        ),
    },
    {"name": "state", "in": "query", "schema": enum_of(STATES, "状态：")},
    {"name": "channel", "in": "query", "schema": enum_of(CHANNELS, "信访形式：")},
    {
        "name": "category",
        "in": "query",
        "schema": ID,
        "description": "内容分类 id（含其下各级分类）",
    },
    {
        "name": "agency",
        "in": "query",
        "schema": ID,
        "description": "机构 id：登记机构或承办机构",
    },
    {"name": "from", "in": "query", "schema": {"type": "string", "format": "date"}},
    {"name": "to", "in": "query", "schema": {"type": "string", "format": "date"}},
    {
        "name": "flag",
        "in": "query",
        "schema": {"type": "array", "items": enum_of(FLAGS, "标识：")},
        "style": "form",
        "explode": True,
        "description": "可重复；须同时具有所列标识",
    },
    {
        "name": "overdue",
        "in": "query",
        "schema": {"type": "string", "enum": ["1", "true", "on"]},
        "description": "仅有超期未办结期限的事项",
    },
    {
        "name": "after",
        "in": "query",
        "schema": ID,
        "description": "上一页返回的 next_after",
    },
    {
        "name": "limit",
        "in": "query",
        "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 50},
    },
]
#: The 400 of a write: no JSON object, or a browser session without its CSRF token.
BAD_BODY = "请求体不是 JSON 对象，或以浏览器会话调用而未带 X-CSRFToken"

COMMON_ERRORS = {
    "401": _error("未登录或令牌无效"),
    "414": _error("请求地址过长（超过 4096 个字符）"),
    "403": _error("没有权限（不办理信访事项的账户，或缺少该操作所需的权限）"),
}


def document(server_url: str = "") -> dict[str, Any]:
    """The OpenAPI 3.1 document; ``server_url`` is where this instance is served."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "民声信访事项 API",
            "version": VERSION,
            "description": (
                "信访事项的登记、查询与办理。认证：在“我的账户”页面生成 API 令牌，"
                "以 Authorization: Bearer <令牌> 发送（账户须有 core.api.use 权限）。"
                "记录规则、个人信息脱敏与对被反映单位保密同样适用。"
                '错误一律返回 {"error": {"code", "message"}}。'
            ),
        },
        "servers": [{"url": server_url or "/"}],
        "security": [{"bearerAuth": []}, {"cookieAuth": []}],
        "paths": {
            "/api/v1/matters": {
                "get": {
                    "operationId": "listMatters",
                    "summary": "列出可见的信访事项（新的在前）",
                    "parameters": [
                        {"name": "state", "in": "query", "schema": enum_of(STATES)},
                        {"name": "channel", "in": "query", "schema": enum_of(CHANNELS)},
                        *PAGING,
                    ],
                    "responses": {
                        "200": _json(ref("Page"), "一页事项"),
                        "400": _error("未知的筛选值，或分页参数超出范围"),
                        **COMMON_ERRORS,
                    },
                },
                "post": {
                    "operationId": "registerMatter",
                    "summary": "登记信访事项（需 core.cases.register）",
                    "requestBody": {
                        "required": True,
                        "content": {"application/json": {"schema": ref("Registration")}},
                    },
                    "responses": {
                        "201": _json(ref("Registered"), "已登记"),
                        "400": _error(BAD_BODY),
                        "422": _error("登记信息有误（error.errors 逐字段说明）"),
                        **COMMON_ERRORS,
                    },
                },
            },
            "/api/v1/matters/{matter_id}": {
                "get": {
                    "operationId": "getMatter",
                    "summary": "事项详情：期限、时间线、文书、评价与可执行的操作",
                    "parameters": [MATTER_ID],
                    "responses": {
                        "200": _json(ref("MatterDetail"), "事项"),
                        "404": _error("事项不存在或您无权查看"),
                        **COMMON_ERRORS,
                    },
                }
            },
            "/api/v1/matters/{matter_id}/transitions/{name}": {
                "post": {
                    "operationId": "performTransition",
                    "summary": "执行一项办理操作（转送、交办、受理、拟写处理意见……）",
                    "parameters": [
                        MATTER_ID,
                        {
                            "name": "name",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string"},
                            "description": "操作名，如 assign、accept、draft_opinion",
                        },
                    ],
                    "requestBody": {
                        "required": True,
                        "content": {"application/json": {"schema": ref("TransitionRequest")}},
                    },
                    "responses": {
                        "200": _json(ref("MatterDetail"), "操作完成后的事项"),
                        "400": _error(BAD_BODY),
                        "404": _error("事项不存在、无权查看，或没有此操作"),
                        "409": _error("版本已过期：事项已被他人修改，未作任何更改"),
                        "422": _error("操作被拒绝（当前状态不允许、缺少字段或不符合规定）"),
                        **COMMON_ERRORS,
                    },
                }
            },
            "/api/v1/matters/{matter_id}/ratings": {
                "post": {
                    "operationId": "rateMatter",
                    "summary": "录入群众满意度评价（回访后，需 core.cases.rate）",
                    "parameters": [MATTER_ID],
                    "requestBody": {
                        "required": True,
                        "content": {"application/json": {"schema": ref("RatingRequest")}},
                    },
                    "responses": {
                        "201": _json(
                            {
                                "type": "object",
                                "properties": {
                                    "matter_id": {"type": "integer"},
                                    "target": {"type": "string"},
                                    "value": {"type": "string"},
                                    "reason": {"type": "string"},
                                },
                            },
                            "已记录",
                        ),
                        "400": _error(BAD_BODY),
                        "404": _error("事项不存在或您无权查看"),
                        "422": _error("不能评价（涉法涉诉、未送达、已超期、已评价或缺少理由）"),
                        **COMMON_ERRORS,
                    },
                }
            },
            "/api/v1/search": {
                "get": {
                    "operationId": "searchMatters",
                    "summary": "查找信访事项：内容、信访人、地址中的文字，加筛选条件（新的在前）",
                    "description": (
                        "关键词按中文二字词与字母数字串匹配，须全部出现；"
                        "信访人姓名、证件号码、电话仅对有 core.personal_data.view 权限的账户可查。"
                        "按记录规则只返回您可见的事项。"
                        "分页按键：把上一页的 next_after 作为 after 传回。"
                    ),
                    "parameters": SEARCH_PARAMETERS,
                    "responses": {
                        "200": _json(ref("SearchPage"), "一页事项"),
                        "400": _error("查询条件有误（error.errors 按参数名说明）"),
                        **COMMON_ERRORS,
                    },
                }
            },
            "/api/v1/queue": {
                "get": {
                    "operationId": "getQueue",
                    "summary": "工作台：我的、即将到期、已超期、待我审核、全部",
                    "parameters": [
                        {"name": "tab", "in": "query", "schema": enum_of(TABS)},
                        {
                            "name": "q",
                            "in": "query",
                            "schema": {"type": "string", "maxLength": MAX_QUERY},
                        },
                        *PAGING,
                    ],
                    "responses": {
                        "200": _json(
                            {
                                "allOf": [
                                    ref("Page"),
                                    {
                                        "type": "object",
                                        "properties": {
                                            "tab": {"type": "string"},
                                            "counts": {
                                                "type": "object",
                                                "additionalProperties": {"type": "integer"},
                                                "description": "各分组条数；计到 1000 为止"
                                                "（1000 表示多于 999）",
                                            },
                                        },
                                    },
                                ]
                            },
                            "一页待办；期限类分组的条目另含 clock",
                        ),
                        "400": _error("未知的分组、关键词过长，或分页参数超出范围"),
                        **COMMON_ERRORS,
                    },
                }
            },
            "/api/v1/openapi.json": {
                "get": {
                    "operationId": "getOpenApi",
                    "summary": "本文档",
                    "security": [],
                    "responses": {"200": {"description": "OpenAPI 3.1 文档"}},
                }
            },
        },
        "components": {
            "schemas": SCHEMAS,
            "securitySchemes": {
                "bearerAuth": {"type": "http", "scheme": "bearer"},
                "cookieAuth": {
                    "type": "apiKey",
                    "in": "cookie",
                    "name": "minsheng_session",
                    "description": "浏览器会话；写操作须带 X-CSRFToken 请求头",
                },
            },
        },
    }
