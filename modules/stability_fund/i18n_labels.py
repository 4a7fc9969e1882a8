"""Labels the templates translate at render time, listed for the extractor.

The module title, menu item, lifecycle steps and state, approval-step results. Nothing imports
this module.
"""

from core.api import N_

#: Manifest title and menu item (module.py).
MODULE = (N_("信访救助资金"), N_("救助资金"))

#: The matter state and steps this module adds to the lifecycle (lifecycle.py).
LIFECYCLE = (N_("已化解销号"), N_("救助化解销号"), N_("销号后再次信访，重新办理"))

#: Results of an approval step (models/chain.py ``ApprovalStep.state_label``).
STEP_STATES = (N_("待审批"), N_("同意"), N_("不同意"))
