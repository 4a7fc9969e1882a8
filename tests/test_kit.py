"""The module kit's matter in a given state reaches it through core's steps."""

from __future__ import annotations

import pytest

from tests.kit import matter_in
from tests.kit.matters import REACHABLE


@pytest.mark.parametrize("state", REACHABLE)
def test_matter_in_reaches_the_state_through_core_steps(app, state):
    with app.app_context():
        matter = matter_in(state)
        assert matter.state == state


def test_matter_in_refuses_a_state_it_cannot_reach():
    with pytest.raises(ValueError, match="not 'terminated'"):
        matter_in("terminated")
