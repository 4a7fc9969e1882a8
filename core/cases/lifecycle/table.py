"""The matter's lifecycle as data (信访工作条例 2022): states and transitions in one table.

Each ``Transition`` names the states it leaves, the state it reaches, the permission it needs,
the fields it requires, its guard (a function returning a refusal in Chinese, or ``None``), its
effect, and the official document it issues. ``core.cases.lifecycle.steps.perform`` runs them.

Modules declare what they add to the lifecycle in their manifest (``Lifecycle``: states, steps,
guards on other steps, clock kinds, clock pauses, documents, timeline entry kinds); core adds
them when the module's code is loaded (``core.cases.lifecycle.module_steps``) and they act only
while the module is installed (``is_active``), so uninstalling a module takes its steps and
guards away.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask import current_app, has_app_context

STATES: dict[str, str] = {
    "registered": "已登记",
    "forwarded": "已转送",
    "assigned": "已交办",
    "objected": "异议待核",
    "referred_legal": "已导入法定途径",
    "referred_discipline": "已转纪检监察",
    "not_accepted": "不予受理",
    "answered": "当场答复",
    "in_handling": "办理中",
    "suspended": "听证中（期限中止）",
    "opinion_pending": "意见待审批",
    "opinion_issued": "意见已出具",
    "completion_review": "办结报告待审核",
    "review_window": "复查申请期",
    "review_requested": "复查中",
    "reexam_window": "复核申请期",
    "reexam_requested": "复核中",
    "terminated": "已终结",
}

#: States in which nothing more happens on the matter itself.
FINAL_STATES = frozenset(
    {"referred_legal", "referred_discipline", "not_accepted", "answered", "terminated"}
)
#: Core's states in which the matter is still being worked on (it may be supervised).
OPEN_STATES = (
    "registered",
    "forwarded",
    "assigned",
    "objected",
    "in_handling",
    "suspended",
    "opinion_pending",
    "opinion_issued",
    "completion_review",
    "review_window",
    "review_requested",
    "reexam_window",
    "reexam_requested",
)

Guard = Callable[["Any", "TransitionContext"], str | None]
Effect = Callable[["Any", "TransitionContext"], None]


@dataclass
class TransitionContext:
    """What a transition runs with: the acting user, the event date and the submitted data."""

    actor: Any
    on: date
    data: dict[str, Any]
    calendar: Any = None
    #: Filled by effects: extra context for the document template.
    document_context: dict[str, Any] = field(default_factory=dict)


@dataclass
class Transition:
    """One step of the lifecycle."""

    name: str
    label: str
    sources: tuple[str, ...]
    target: str | None  # None: stays in the current state (an action such as 拟办 or 督办)
    permission: str
    required: tuple[str, ...] = ()
    guards: list[Guard] = field(default_factory=list)
    effect: Effect | None = None
    document: str | None = None
    #: The module that declared the step (set from its manifest).
    module: str = "core"

    def target_for(self, matter: Any) -> str:
        """The state the matter reaches (effects may have set it, e.g. re-triage)."""
        return self.target or matter.state


@dataclass(frozen=True)
class DocumentKind:
    """An official document: its title, number prefix and template."""

    title: str
    prefix: str
    template: str


DOCUMENTS: dict[str, DocumentKind] = {
    "acceptance_notice": DocumentKind("受理告知书", "受告", "core/pdf/acceptance_notice.html"),
    "non_acceptance_notice": DocumentKind(
        "不予受理告知书", "不受告", "core/pdf/non_acceptance_notice.html"
    ),
    "no_further_notice": DocumentKind(
        "不再受理告知书", "不再受告", "core/pdf/no_further_notice.html"
    ),
    "assignment_slip": DocumentKind("信访事项交办单", "交", "core/pdf/assignment_slip.html"),
    "extension_notice": DocumentKind("延期办理告知书", "延告", "core/pdf/extension_notice.html"),
    "handling_opinion": DocumentKind("信访事项处理意见书", "处意", "core/pdf/opinion.html"),
    "review_opinion": DocumentKind("信访事项复查意见书", "复查", "core/pdf/opinion.html"),
    "reexam_opinion": DocumentKind("信访事项复核意见书", "复核", "core/pdf/opinion.html"),
}

#: The kinds of timeline entries and their labels; modules add theirs (``Lifecycle``).
TIMELINE_KINDS: dict[str, str] = {
    "transition": "办理步骤",
    "note": "备注",
    "document": "文书",
    "field": "信息修改",
    "clock": "期限",
}

TRANSITIONS: dict[str, Transition] = {}


def register_transition(transition: Transition) -> Transition:
    """Add (or replace, for the same name) one of core's transitions.

    Modules do not call this: they declare their steps in ``Manifest.lifecycle``.
    """
    TRANSITIONS[transition.name] = transition
    return transition


def add_guard(name: str, guard: Guard) -> None:
    """Add a guard to an existing transition (modules: ``StepGuard`` in their ``Lifecycle``)."""
    TRANSITIONS[name].guards.append(guard)


@dataclass(frozen=True)
class StepGuard:
    """A module's guard on a step it did not declare (e.g. no termination before a hearing)."""

    transition: str
    guard: Guard


@dataclass(frozen=True)
class ClockPause:
    """A clock that does not count between two steps of a module.

    E.g. 条例第36条第2款: the days of a hearing do not count toward the re-review period.
    ``pause`` stops the running clock of kind ``clock`` on the event day; ``resume`` starts it
    again (refused with a date before the pause) and moves its due date by the paused days.
    """

    clock: str
    pause: str
    resume: str
    #: How the paused span is named in refusals and in the clock's explanation (e.g. "听证").
    span: str = "中止"


@dataclass(frozen=True)
class Lifecycle:
    """What a module adds to the matter's lifecycle; declared in ``Manifest.lifecycle``.

    ``clock_kinds`` maps a kind to a ``ClockKind`` (label, article, length, unit);
    ``documents`` maps a kind to a ``DocumentKind``; ``timeline_kinds`` a kind to its label.
    """

    states: dict[str, str] = field(default_factory=dict)
    transitions: tuple[Transition, ...] = ()
    guards: tuple[StepGuard, ...] = ()
    clock_kinds: dict[str, Any] = field(default_factory=dict)
    clock_pauses: tuple[ClockPause, ...] = ()
    documents: dict[str, DocumentKind] = field(default_factory=dict)
    timeline_kinds: dict[str, str] = field(default_factory=dict)


def installed_modules() -> frozenset[str] | None:
    """Names of the installed modules in this request, or ``None`` outside an app."""
    if not has_app_context():
        return None
    registry = current_app.extensions.get("minsheng.registry")
    return registry.installed_names() if registry is not None else None


def is_active(transition: Transition) -> bool:
    """Whether the step can be taken now: core's always, a module's while it is installed."""
    if transition.module == "core":
        return True
    installed = installed_modules()
    return installed is None or transition.module in installed


def find(name: str) -> Transition | None:
    """The active transition called ``name`` (a module's only while it is installed)."""
    transition = TRANSITIONS.get(name)
    return transition if transition is not None and is_active(transition) else None


def available(matter: Any, permissions: frozenset[str]) -> list[Transition]:
    """Active transitions that leave the matter's state and that ``permissions`` allow."""
    return [
        t
        for t in TRANSITIONS.values()
        if matter.state in t.sources and t.permission in permissions and is_active(t)
    ]
