"""Signals for cross-module hooks (blinker). Receivers must not assume a request context.

- ``module_installed(app, name=...)`` / ``module_uninstalled(app, name=...)``: after the state
  is committed.
- ``user_provisioned(app, user=..., source=...)``: a directory user was created or refreshed.
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

module_installed = _signals.signal("module-installed")
module_uninstalled = _signals.signal("module-uninstalled")
user_provisioned = _signals.signal("user-provisioned")
