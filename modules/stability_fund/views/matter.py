"""The finance view of a matter (信访事项概况): what the fund's staff need, without core's page.

Finance officers and fund approvers handle the money of a matter they usually may not open
(it belongs to the handling unit). This page shows them its summary, its parties (personal data
masked as core's rules say) and the petitioner's history, and only for a matter that has a relief
application they may see; every view is audited.
"""

from __future__ import annotations

from flask import abort, render_template
from sqlalchemy import select

from core.api import (
    Matter,
    current_actor,
    db,
    identity_sealed_for,
    matters_of_person,
    personal_value,
    require,
)

from .. import services
from ..blueprint import bp
from ..models import ReliefApplication


@bp.route("/stability-fund/matter/<int:matter_id>")
@require("stability_fund.view")
def matter_summary(matter_id: int):
    """Summary, parties and history of a matter with a relief application the user may see."""
    apps = list(
        db.session.execute(
            select(ReliefApplication)
            .where(ReliefApplication.matter_id == matter_id)
            .order_by(ReliefApplication.id)
        ).scalars()
    )
    if not apps:
        abort(404)
    # The matter itself is read past the record rules: the user reaches it through an
    # application the rules let them see, and the page shows only what their work needs.
    matter = db.session.execute(
        select(Matter).where(Matter.id == matter_id).execution_options(skip_record_rules=True)
    ).scalar_one()
    actor = current_actor()
    sealed = identity_sealed_for(matter, actor)
    parties = []
    if not sealed:
        for party in matter.parties:
            p = party.person
            parties.append(
                {
                    "name": personal_value(p, "name"),
                    "id_number": personal_value(p, "id_number"),
                    "mobile": personal_value(p, "mobile"),
                    "address": personal_value(p, "address"),
                    "lead": party.is_lead,
                    "history": [
                        m for m in matters_of_person(p.id_number or "", actor) if m.id != matter.id
                    ],
                    "awards": services.awards_of(p),
                }
            )
    services.audit_view("stability_fund.matter_view", matter, f"{matter.number}：查看事项概况")
    return render_template(
        "stability_fund/matter.html", matter=matter, apps=apps, parties=parties, sealed=sealed
    )
