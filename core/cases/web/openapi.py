"""The OpenAPI 3.1 document of the case-file API (``/api/v1/openapi.json``), written by hand.

Keep it in step with ``core.cases.api``: a test checks that every route under ``/api/v1`` is
described here with the same methods.
"""

from __future__ import annotations

from typing import Any

from core.cases.lifecycle.opinions import OUTCOMES
from core.cases.lifecycle.table import STATES
from core.cases.models.matter import CHANNELS, FLAGS, HANDLING_TYPES, PURPOSES
from core.cases.records.rating import METHODS, TARGETS, VALUES
from core.cases.web.queue import TABS

VERSION = "1.0.0"


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _error(description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": _ref("Error")}}}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _enum(values: dict[str, str], description: str = "") -> dict[str, Any]:
    text = "；".join(f"`{k}` {v}" for k, v in values.items())
    return {"type": "string", "enum": list(values), "description": f"{description}{text}"}


MATTER_ID = {
    "name": "matter_id",
    "in": "path",
    "required": True,
    "schema": {"type": "integer"},
    "description": "事项 id（不是信访件编号）",
}
PAGING = [
    {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1, "default": 1}},
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
        "schema": {"type": "string", "maxLength": 200},
        "description": (
            "关键词：编号、摘要、诉求、问题发生地、被反映对象；"
            "有权限时也查信访人姓名、证件号码、电话"
        ),
    },
    {"name": "state", "in": "query", "schema": _enum(STATES, "状态：")},
    {"name": "channel", "in": "query", "schema": _enum(CHANNELS, "信访形式：")},
    {
        "name": "category",
        "in": "query",
        "schema": {"type": "integer"},
        "description": "内容分类 id（含其下各级分类）",
    },
    {
        "name": "agency",
        "in": "query",
        "schema": {"type": "integer"},
        "description": "机构 id：登记机构或承办机构",
    },
    {"name": "from", "in": "query", "schema": {"type": "string", "format": "date"}},
    {"name": "to", "in": "query", "schema": {"type": "string", "format": "date"}},
    {
        "name": "flag",
        "in": "query",
        "schema": {"type": "array", "items": _enum(FLAGS, "标识：")},
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
        "schema": {"type": "integer", "minimum": 1},
        "description": "上一页返回的 next_after",
    },
    {
        "name": "limit",
        "in": "query",
        "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 50},
    },
]
COMMON_ERRORS = {
    "401": _error("未登录或令牌无效"),
    "403": _error("没有权限（不办理信访事项的账户，或缺少该操作所需的权限）"),
}

SCHEMAS: dict[str, Any] = {
    "Error": {
        "type": "object",
        "required": ["error"],
        "properties": {
            "error": {
                "type": "object",
                "required": ["code", "message"],
                "properties": {
                    "code": {"type": "integer", "description": "HTTP 状态码"},
                    "message": {"type": "string", "description": "给用户看的中文说明"},
                    "errors": {
                        "type": "object",
                        "additionalProperties": {"type": "string"},
                        "description": (
                            "逐字段的中文错误（422），键为字段名，如 parties-0-id_number"
                        ),
                    },
                },
            }
        },
    },
    "Party": {
        "type": "object",
        "required": ["name"],
        "properties": {
            "name": {"type": "string", "maxLength": 100},
            "id_type": {
                "type": "string",
                "enum": ["resident_id", "passport", "hmt_permit", "other"],
                "default": "resident_id",
            },
            "id_number": {"type": "string", "description": "居民身份证号码须通过校验位检查"},
            "mobile": {"type": "string", "pattern": "^1\\d{10}$"},
            "address": {"type": "string", "maxLength": 200},
            "is_representative": {"type": "boolean", "description": "集体访推选的代表，至多 5 人"},
        },
        "description": "第一位为主访人",
    },
    "Registration": {
        "type": "object",
        "required": ["channel", "summary"],
        "properties": {
            "channel": _enum(CHANNELS, "信访形式："),
            "received_on": {"type": "string", "format": "date", "description": "默认今天"},
            "purpose": _enum(PURPOSES, "信访目的："),
            "handling_type": _enum(HANDLING_TYPES, "事项类别："),
            "category_id": {"type": "integer", "description": "内容分类（任一级）"},
            "summary": {"type": "string", "maxLength": 5000},
            "demands": {
                "oneOf": [
                    {"type": "array", "items": {"type": "string"}},
                    {"type": "string", "description": "每行一项"},
                ]
            },
            "place_text": {"type": "string"},
            "complained_party": {"type": "string"},
            "complained_post": {"type": "string"},
            "complained_agency_id": {"type": "integer"},
            "head_count": {"type": "integer", "minimum": 1, "default": 1},
            "people_involved": {"type": "integer", "minimum": 1},
            "flags": {"type": "array", "items": _enum(FLAGS, "标识：")},
            "repeat_of": {"type": "string", "description": "所重复的原信访件编号"},
            "external_number": {"type": "string", "description": "上级交办编号"},
            "parties": {"type": "array", "items": _ref("Party")},
        },
    },
    "Registered": {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "number": {"type": "string", "description": "信访件编号"},
            "query_code": {"type": "string", "description": "查询码（告知信访人）"},
            "state": {"type": "string"},
            "version": {"type": "integer"},
            "url": {"type": "string"},
        },
    },
    "MatterBrief": {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "number": {"type": "string"},
            "state": _enum(STATES, "状态："),
            "state_label": {"type": "string"},
            "channel": {"type": "string"},
            "channel_label": {"type": "string"},
            "received_on": {"type": "string", "format": "date"},
            "summary": {"type": "string", "description": "截断的摘要"},
            "lead": {
                "type": "string",
                "description": "主访人姓名：无 core.personal_data.view 时脱敏；"
                "对被反映单位保密时为“（已保密）”",
            },
            "handling_agency": {"type": ["string", "null"]},
            "version": {"type": "integer", "description": "办理操作须带回此版本号"},
            "url": {"type": "string"},
        },
    },
    "Clock": {
        "type": "object",
        "properties": {
            "kind": {"type": "string"},
            "label": {"type": "string"},
            "article": {"type": "string", "description": "依据条款"},
            "start": {"type": "string", "format": "date"},
            "due": {"type": "string", "format": "date"},
            "state": {
                "type": "string",
                "enum": ["running", "paused", "met", "missed", "lapsed", "cancelled"],
            },
            "state_label": {"type": "string"},
            "provisional": {"type": "boolean", "description": "依据的节假日安排尚未公布（暂定）"},
            "explanation": {"type": "string", "description": "期限如何算出"},
            "responsible_agency_id": {"type": ["integer", "null"]},
        },
    },
    "MatterDetail": {
        "allOf": [
            _ref("MatterBrief"),
            {
                "type": "object",
                "properties": {
                    "query_code": {"type": ["string", "null"]},
                    "purpose": {"type": "string"},
                    "handling_type": {"type": "string"},
                    "category": {"type": ["string", "null"]},
                    "demands": {"type": "array", "items": {"type": "string"}},
                    "place": {"type": ["string", "null"]},
                    "complained_party": {"type": ["string", "null"]},
                    "complained_agency": {"type": ["string", "null"]},
                    "head_count": {"type": "integer"},
                    "people_involved": {"type": "integer"},
                    "flags": {"type": "array", "items": {"type": "string"}},
                    "repeat_of": {"type": ["string", "null"]},
                    "external_numbers": {"type": "object"},
                    "agency": {"type": "string"},
                    "handler": {"type": ["string", "null"]},
                    "accepted_on": {"type": ["string", "null"], "format": "date"},
                    "reply_received_on": {"type": ["string", "null"], "format": "date"},
                    "outcome": {"type": ["string", "null"]},
                    "identity_sealed": {
                        "type": "boolean",
                        "description": "对您（被反映单位）隐去信访人身份（条例第30条）",
                    },
                    "parties": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "properties": {
                                "role": {"type": "string"},
                                "name": {"type": "string"},
                                "id_number": {"type": "string"},
                                "mobile": {"type": "string"},
                                "address": {"type": "string"},
                            },
                        },
                    },
                    "clocks": {"type": "array", "items": _ref("Clock")},
                    "timeline": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "properties": {
                                "at": {"type": "string", "format": "date-time"},
                                "actor": {"type": "string"},
                                "kind": {"type": "string"},
                                "title": {"type": "string"},
                                "body": {"type": "string"},
                            },
                        },
                    },
                    "documents": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "properties": {
                                "number": {"type": "string"},
                                "title": {"type": "string"},
                                "issued_at": {"type": "string", "format": "date-time"},
                                "download": {"type": ["string", "null"]},
                            },
                        },
                    },
                    "ratings": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "properties": {
                                "target": _enum(TARGETS),
                                "status": {
                                    "type": "string",
                                    "enum": ["rated", "pending", "expired", "not_yet", "excluded"],
                                },
                                "status_label": {"type": "string"},
                                "value": {"type": ["string", "null"]},
                                "window_ends": {"type": ["string", "null"], "format": "date"},
                            },
                        },
                    },
                    "transitions": {
                        "type": "array",
                        "description": "您现在可以执行的操作",
                        "items": {
                            "type": "object",
                            "properties": {
                                "name": {"type": "string"},
                                "label": {"type": "string"},
                                "required": {"type": "array", "items": {"type": "string"}},
                                "fields": {"type": "array", "items": {"type": "string"}},
                            },
                        },
                    },
                    "issued_document": {
                        "type": "object",
                        "description": "仅在操作出具了文书时返回",
                        "properties": {"number": {"type": "string"}, "title": {"type": "string"}},
                    },
                },
            },
        ]
    },
    "TransitionRequest": {
        "type": "object",
        "required": ["version"],
        "description": "version 之外的字段视操作而定，见事项详情 transitions[].fields。",
        "properties": {
            "version": {"type": "integer", "description": "读取事项时的版本号（乐观锁）"},
            "agency_id": {"type": "integer", "description": "转送、交办的责任单位"},
            "standard": {"type": "string", "description": "交办：办理要求/标准"},
            "deadline": {"type": "string", "format": "date", "description": "交办：办理期限"},
            "leader": {"type": "string"},
            "route": {"type": "string", "description": "导入法定途径"},
            "ground": {"type": "string", "description": "不予受理的理由"},
            "answer": {"type": "string"},
            "reason": {"type": "string"},
            "text": {"type": "string"},
            "days": {"type": "integer", "minimum": 1, "maximum": 30},
            "facts": {"type": "string"},
            "basis": {"type": "string"},
            "decision": {"type": "string"},
            "demands": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "demand": {"type": "string"},
                        "outcome": _enum(OUTCOMES),
                    },
                },
            },
            "method": {"type": "string", "enum": ["in_person", "post", "other"]},
            "deliverer": {"type": "string"},
            "deliverer_phone": {"type": "string"},
            "delivered_on": {"type": "string", "format": "date"},
            "signed": {"type": "boolean", "default": True},
            "petitioner_view": {"type": "string", "enum": ["agree", "disagree", "unclear"]},
            "follower_id": {"type": "integer"},
            "hearing_held": {"type": "boolean"},
            "on": {"type": "string", "format": "date", "description": "复查、复核申请的收到日期"},
        },
    },
    "RatingRequest": {
        "type": "object",
        "required": ["target", "value"],
        "properties": {
            "target": _enum(TARGETS, "评价对象："),
            "value": _enum(VALUES, "评价："),
            "reason": {"type": "string", "description": "不满意时必填"},
            "method": _enum(METHODS, "回访方式："),
        },
    },
    "SearchPage": {
        "type": "object",
        "properties": {
            "items": {"type": "array", "items": _ref("MatterBrief")},
            "next_after": {
                "type": ["integer", "null"],
                "description": "下一页：以此值作为 after 再次请求；null 表示没有更多",
            },
        },
    },
    "Page": {
        "type": "object",
        "properties": {
            "items": {"type": "array", "items": _ref("MatterBrief")},
            "page": {"type": "integer"},
            "per_page": {"type": "integer"},
            "total": {"type": "integer"},
            "pages": {"type": "integer"},
        },
    },
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
                        {"name": "state", "in": "query", "schema": _enum(STATES)},
                        {"name": "channel", "in": "query", "schema": _enum(CHANNELS)},
                        *PAGING,
                    ],
                    "responses": {
                        "200": _json(_ref("Page"), "一页事项"),
                        "400": _error("未知的筛选值"),
                        **COMMON_ERRORS,
                    },
                },
                "post": {
                    "operationId": "registerMatter",
                    "summary": "登记信访事项（需 core.cases.register）",
                    "requestBody": {
                        "required": True,
                        "content": {"application/json": {"schema": _ref("Registration")}},
                    },
                    "responses": {
                        "201": _json(_ref("Registered"), "已登记"),
                        "400": _error("请求体不是 JSON 对象"),
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
                        "200": _json(_ref("MatterDetail"), "事项"),
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
                        "content": {"application/json": {"schema": _ref("TransitionRequest")}},
                    },
                    "responses": {
                        "200": _json(_ref("MatterDetail"), "操作完成后的事项"),
                        "400": _error("请求体不是 JSON 对象"),
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
                        "content": {"application/json": {"schema": _ref("RatingRequest")}},
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
                        "200": _json(_ref("SearchPage"), "一页事项"),
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
                        {"name": "tab", "in": "query", "schema": _enum(TABS)},
                        {"name": "q", "in": "query", "schema": {"type": "string"}},
                        *PAGING,
                    ],
                    "responses": {
                        "200": _json(
                            {
                                "allOf": [
                                    _ref("Page"),
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
                        "400": _error("未知的分组"),
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
