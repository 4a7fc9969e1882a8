"""A module's part of the lifecycle, added from its manifest when its code is loaded.

``declare(name, lifecycle)`` puts the module's states, steps, guards, clock kinds, clock pauses,
documents and timeline entry kinds beside core's. Everything it adds is tagged with the
module's name: steps carry ``Transition.module`` and guards skip themselves, so they act only
while the module is installed (``table.is_active``) — the registry is per app, the tables
here per process, and a process may build several apps (tests) with different modules.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from core.cases.clocks import clocks
from core.cases.lifecycle.table import (
    DOCUMENTS,
    STATES,
    TIMELINE_KINDS,
    TRANSITIONS,
    ClockPause,
    Guard,
    Lifecycle,
    Transition,
    TransitionContext,
    installed_modules,
)
from core.registry.manifest import ManifestError

#: (module, id of its Lifecycle) already declared in this process: apps are built many times.
_DECLARED: set[tuple[str, int]] = set()


def declare(module: str, lifecycle: Lifecycle) -> None:
    """Add ``module``'s lifecycle declarations (once per process); ``ManifestError`` on a clash."""
    key = (module, id(lifecycle))
    if key in _DECLARED:
        return
    _check(module, lifecycle)
    STATES.update(lifecycle.states)
    TIMELINE_KINDS.update(lifecycle.timeline_kinds)
    DOCUMENTS.update(lifecycle.documents)
    clocks.CLOCK_KINDS.update(lifecycle.clock_kinds)
    clocks.KIND_MODULES.update(dict.fromkeys(lifecycle.clock_kinds, module))
    steps = {
        t.name: replace(t, module=module, guards=list(t.guards)) for t in lifecycle.transitions
    }
    for pause in lifecycle.clock_pauses:
        _wire_pause(steps, pause)
    TRANSITIONS.update(steps)
    for step_guard in lifecycle.guards:
        TRANSITIONS[step_guard.transition].guards.append(_while_installed(module, step_guard.guard))
    _DECLARED.add(key)


def _check(module: str, lifecycle: Lifecycle) -> None:
    problems = []
    for t in lifecycle.transitions:
        owner = TRANSITIONS.get(t.name)
        if owner is not None and owner.module != module:
            problems.append(f"step {t.name!r} is already declared by {owner.module!r}")
    ours = {t.name for t in lifecycle.transitions}
    for g in lifecycle.guards:
        if g.transition not in TRANSITIONS and g.transition not in ours:
            problems.append(f"guard on unknown step {g.transition!r}")
    for p in lifecycle.clock_pauses:
        for step in (p.pause, p.resume):
            if step not in ours:
                problems.append(f"clock pause names {step!r}, which the module does not declare")
        if p.clock not in clocks.CLOCK_KINDS and p.clock not in lifecycle.clock_kinds:
            problems.append(f"clock pause of unknown clock kind {p.clock!r}")
    known_states = set(STATES) | set(lifecycle.states)
    for t in lifecycle.transitions:
        for state in (*t.sources, *([t.target] if t.target else [])):
            if state not in known_states:
                problems.append(f"step {t.name!r} names unknown state {state!r}")
        if t.document and t.document not in DOCUMENTS and t.document not in lifecycle.documents:
            problems.append(f"step {t.name!r} issues unknown document {t.document!r}")
    if problems:
        raise ManifestError(f"module {module!r}: " + "; ".join(problems), (module,))


def _while_installed(module: str, guard: Guard) -> Guard:
    def check(matter, ctx: TransitionContext) -> str | None:
        installed = installed_modules()
        if installed is not None and module not in installed:
            return None
        return guard(matter, ctx)

    check.__doc__ = guard.__doc__
    return check


def _wire_pause(steps: dict[str, Transition], pause: ClockPause) -> None:
    """Give the pausing and resuming steps the clock effect before their own."""
    kind = pause.clock

    def stop(matter, ctx: TransitionContext) -> None:
        clock = clocks.running(matter, kind)
        if clock is not None:
            clocks.pause(clock, ctx.on, pause.span)

    def restart(matter, ctx: TransitionContext) -> None:
        clock = clocks.running(matter, kind)
        if clock is not None and clock.state == "paused":
            clocks.resume(clock, ctx.on)

    def not_before_start(matter, ctx: TransitionContext) -> str | None:
        clock = clocks.running(matter, kind)
        if clock is not None and clock.paused and clock.paused[-1][1] is None:
            started = date.fromisoformat(clock.paused[-1][0])
            if ctx.on < started:
                return (
                    f"{pause.span}结束日期不能早于{pause.span}开始日期（{started.isoformat()}）。"
                )
        return None

    first, second = steps[pause.pause], steps[pause.resume]
    steps[pause.pause] = replace(first, effect=_then(stop, first.effect))
    steps[pause.resume] = replace(
        second, guards=[*second.guards, not_before_start], effect=_then(restart, second.effect)
    )


def _then(clock_effect, own):
    if own is None:
        return clock_effect

    def both(matter, ctx: TransitionContext) -> None:
        clock_effect(matter, ctx)
        own(matter, ctx)

    return both
