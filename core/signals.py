"""Signals for cross-module hooks (blinker). Receivers must not assume a request context.

Module state (sent after the state is committed):

- ``module_installed(app, name=...)`` / ``module_uninstalled(app, name=...)``.
- ``user_provisioned(app, user=..., source=...)``: a directory user was created or refreshed.

The case file (sent inside the desk action's unit of work, so what a receiver writes commits or
rolls back with the action; a receiver that must act only on success uses
``core.api.after_commit``):

- ``matter_registered(app, matter=...)``: a matter was registered (its number is drawn).
- ``matter_state_changed(app, matter=..., transition=..., before=..., after=...)``: a step
  moved the matter to another state.
- ``clock_changed(app, clock=..., change=...)``: a clock (its matter: ``clock.matter``) was
  ``"started"``, ``"paused"``, ``"resumed"`` or ``"extended"`` by a step.
- ``document_issued(app, matter=..., document=...)``: an official document was issued.
"""

from __future__ import annotations

from blinker import Namespace
from flask import current_app, has_app_context

_signals = Namespace()

module_installed = _signals.signal("module-installed")
module_uninstalled = _signals.signal("module-uninstalled")
user_provisioned = _signals.signal("user-provisioned")

matter_registered = _signals.signal("matter-registered")
matter_state_changed = _signals.signal("matter-state-changed")
clock_changed = _signals.signal("clock-changed")
document_issued = _signals.signal("document-issued")


def send(signal, **kwargs) -> None:
    """Send ``signal`` from the current app (if there are receivers: a registration is hot)."""
    if signal.receivers:
        sender = current_app._get_current_object() if has_app_context() else None
        signal.send(sender, **kwargs)
