"""The data shapes of the case-file API (``components.schemas`` of its OpenAPI document)."""

from __future__ import annotations

from typing import Any

from core.cases.lifecycle.opinions import OUTCOMES
from core.cases.lifecycle.table import STATES
from core.cases.models.matter import CHANNELS, FLAGS, HANDLING_TYPES, PURPOSES
from core.cases.records.rating import METHODS, TARGETS, VALUES
from core.web.http import INT_MAX


def ref(name: str) -> dict[str, str]:
    """A reference to the schema ``name``."""
    return {"$ref": f"#/components/schemas/{name}"}


def enum_of(values: dict[str, str], description: str = "") -> dict[str, Any]:
    """A string schema of the keys of ``values``, each explained by its label."""
    text = "；".join(f"`{k}` {v}" for k, v in values.items())
    return {"type": "string", "enum": list(values), "description": f"{description}{text}"}


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
        "required": ["channel", "summary", "parties"],
        "properties": {
            "channel": enum_of(CHANNELS, "信访形式："),
            "received_on": {"type": "string", "format": "date", "description": "默认今天"},
            "purpose": enum_of(PURPOSES, "信访目的："),
            "handling_type": enum_of(HANDLING_TYPES, "事项类别："),
            "category_id": {
                "type": "integer",
                "minimum": 1,
                "maximum": INT_MAX,
                "description": "内容分类（任一级）",
            },
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
            "complained_agency_id": {"type": "integer", "minimum": 1, "maximum": INT_MAX},
            "head_count": {"type": "integer", "minimum": 1, "maximum": INT_MAX, "default": 1},
            "people_involved": {"type": "integer", "minimum": 1, "maximum": INT_MAX},
            "flags": {"type": "array", "items": enum_of(FLAGS, "标识：")},
            "repeat_of": {"type": "string", "description": "所重复的原信访件编号"},
            "external_number": {"type": "string", "description": "上级交办编号"},
            "parties": {
                "type": "array",
                "items": ref("Party"),
                "minItems": 1,
                "description": "至少一位信访人（第一位为主访人）",
            },
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
            "state": enum_of(STATES, "状态："),
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
            ref("MatterBrief"),
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
                    "clocks": {"type": "array", "items": ref("Clock")},
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
                                "target": enum_of(TARGETS),
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
                        "outcome": enum_of(OUTCOMES),
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
            "target": enum_of(TARGETS, "评价对象："),
            "value": enum_of(VALUES, "评价："),
            "reason": {"type": "string", "description": "不满意时必填"},
            "method": enum_of(METHODS, "回访方式："),
        },
    },
    "SearchPage": {
        "type": "object",
        "properties": {
            "items": {"type": "array", "items": ref("MatterBrief")},
            "next_after": {
                "type": ["integer", "null"],
                "description": "下一页：以此值作为 after 再次请求；null 表示没有更多",
            },
        },
    },
    "Page": {
        "type": "object",
        "properties": {
            "items": {"type": "array", "items": ref("MatterBrief")},
            "page": {"type": "integer"},
            "per_page": {"type": "integer"},
            "total": {"type": "integer"},
            "pages": {"type": "integer"},
        },
    },
}
