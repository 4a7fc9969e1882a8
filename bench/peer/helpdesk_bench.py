"""The peer's side: django-helpdesk on the same rows. Runs in ``bench/.peer-venv`` only.

``python bench/peer/helpdesk_bench.py FEED --creations N`` with ``PEER_DB`` set (see
``settings.py``). Fills, prints one JSON line, then answers requests on stdin (one JSON object
a line: ``{"do": "create"|"list"|"search", ...}``, ``{"do": "quit"}``) with the raw times, so
the benchmark can take turns between Minsheng and the peer (``bench.peer.Peer``):

* bulk fill: the feed's matters as ``Ticket`` rows (queue per registering agency, title,
  description = summary and demands, status from the state, created = received day) with the
  follow-up its own form writes for a new ticket and the petitioner's name, ID number and mobile
  as custom field values (the same fields Minsheng keeps), by ``bulk_create``;
* creation: ``TicketForm(...).save(user)`` — the code path of its staff "new ticket" view
  (ticket, follow-up, custom fields, e-mail to the locmem backend, signals) — over the last
  ``--creations`` feed rows, as a logged-in staff user;
* list: what a staff user's browser fetches to see the first page of the ticket list: the
  ``/tickets/`` page and its ``datatables_ticket_list`` JSON (first 25 rows, default order);
* search: the same two requests with the search string (``?q=``), as its search box does.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.peer.settings")

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from helpdesk.forms import TicketForm  # noqa: E402
from helpdesk.models import (  # noqa: E402
    CustomField,
    FollowUp,
    Queue,
    Ticket,
    TicketCustomFieldValue,
)
from helpdesk.query import query_to_base64  # noqa: E402

QUEUES = {
    "XFJ": "县信访局",
    "TOWN": "城关镇",
    "BSZ": "北山镇",
    "HKZ": "河口镇",
    "SQZ": "石桥镇",
    "COMM": "东街社区",
}
FIELDS = (("petitioner_name", "信访人姓名"), ("id_number", "身份证号码"), ("mobile", "手机"))
CLOSED = {"terminated", "not_accepted", "answered", "referred_legal", "referred_discipline"}
RESOLVED = {"opinion_issued", "review_window", "review_requested", "reexam_requested"}


def status(state: str) -> int:
    """Helpdesk status for a Minsheng state."""
    if state in CLOSED:
        return Ticket.CLOSED_STATUS
    if state in RESOLVED:
        return Ticket.RESOLVED_STATUS
    return Ticket.OPEN_STATUS


def setup():
    """Migrate, create the staff user, queues and custom fields."""
    call_command("migrate", verbosity=0)
    user_model = get_user_model()
    staff, _ = user_model.objects.get_or_create(
        username="staff", defaults={"is_staff": True, "is_superuser": True, "email": "s@x.cn"}
    )
    staff.set_password("staff-pass")
    staff.save()
    queues = {}
    for code, name in QUEUES.items():
        queues[code], _ = Queue.objects.get_or_create(
            slug=code.lower(), defaults={"title": name, "allow_public_submission": False}
        )
    fields = {}
    for name, label in FIELDS:
        fields[name], _ = CustomField.objects.get_or_create(
            name=name, defaults={"label": label, "data_type": "varchar", "max_length": 100}
        )
    return staff, queues, fields


def bulk_fill(rows: list[dict], queues, fields) -> float:
    """Tickets, follow-ups and custom field values of ``rows`` by bulk_create."""
    t0 = time.perf_counter()
    for lo in range(0, len(rows), 5000):
        chunk = rows[lo : lo + 5000]
        with transaction.atomic():
            tickets = []
            for r in chunk:
                at = datetime.fromisoformat(r["received_on"]).replace(hour=2, tzinfo=UTC)
                tickets.append(
                    Ticket(
                        title=r["title"],
                        queue=queues[r["agency"]],
                        created=at,
                        modified=at,
                        status=status(r["state"]),
                        description=r["description"],
                        priority=3,
                    )
                )
            tickets = Ticket.objects.bulk_create(tickets)
            if tickets and tickets[0].pk is None:  # SQLite before RETURNING support
                raise RuntimeError("bulk_create returned no primary keys")
            FollowUp.objects.bulk_create(
                [
                    FollowUp(
                        ticket=t, title="Ticket Opened", date=t.created, public=True,
                        comment=t.description,
                    )
                    for t in tickets
                ]
            )  # fmt: skip
            values = []
            for t, r in zip(tickets, chunk, strict=True):
                for key, source in (
                    ("petitioner_name", "name"),
                    ("id_number", "id_number"),
                    ("mobile", "mobile"),
                ):
                    if r[source]:
                        values.append(
                            TicketCustomFieldValue(ticket=t, field=fields[key], value=r[source])
                        )
            TicketCustomFieldValue.objects.bulk_create(values)
    return time.perf_counter() - t0


def create(rows: list[dict], staff, queues) -> list[float]:
    """Tickets through ``TicketForm.save`` (its staff new-ticket view's code path); the times."""
    choices = [(q.id, q.title) for q in Queue.objects.all()]
    times = []
    for r in rows:
        s = time.perf_counter()
        form = TicketForm(
            queue_choices=choices,
            data={
                "queue": queues[r["agency"]].id,
                "title": r["title"],
                "body": r["description"],
                "priority": 3,
                "submitter_email": "",
                "assigned_to": "",
                "custom_petitioner_name": r["name"],
                "custom_id_number": r["id_number"],
                "custom_mobile": r["mobile"],
            },
        )
        if not form.is_valid():
            raise RuntimeError(form.errors.as_json())
        with transaction.atomic():
            form.save(user=staff)
        times.append(time.perf_counter() - s)
    return times


def _list_requests(client: Client, search: str) -> None:
    page = client.get("/tickets/", {"q": search} if search else {})
    assert page.status_code == 200, page.status_code
    params = {
        "filtering": {"status__in": [1, 2]},
        "filtering_null": {},
        "sorting": "created",
        "sortreverse": False,
        "search_string": search,
    }
    data = client.get(
        f"/datatables_ticket_list/{query_to_base64(params)}",
        {"draw": 1, "start": 0, "length": 25},
    )
    assert data.status_code == 200, data.status_code
    json.loads(data.content)


def timed(fn, items: list, warmup: int = 2) -> list[float]:
    """Run ``fn`` over ``items`` (after ``warmup`` untimed runs), return the times."""
    for item in items[:warmup]:
        fn(item)
    out = []
    for item in items:
        t0 = time.perf_counter()
        fn(item)
        out.append(time.perf_counter() - t0)
    return out


def main() -> int:
    """Fill, then answer the benchmark's requests (one JSON object per line) until "quit".

    The benchmark asks in turns — our measurement, then the same of the peer's — so that both
    run under the same conditions of the machine; each request returns the raw times.
    """
    parser = argparse.ArgumentParser()
    parser.add_argument("feed")
    parser.add_argument("--creations", type=int, default=500)
    args = parser.parse_args()
    rows = [json.loads(line) for line in Path(args.feed).read_text(encoding="utf-8").splitlines()]
    staff, queues, fields = setup()
    split = len(rows) - args.creations
    bulk = round(bulk_fill(rows[:split], queues, fields), 1)
    print(f"peer: bulk fill {bulk} s", file=sys.stderr, flush=True)
    with connection.cursor() as cur:
        # As our side is prepared (bench.generate): on PostgreSQL a bulk-loaded table is also
        # vacuumed, or autovacuum does it later in the background, during someone's turn.
        cur.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    client = Client()
    client.force_login(staff)
    pending = rows[split:]
    versions = {"django": django.get_version(), "helpdesk": _version("django-helpdesk")}
    print(json.dumps({"bulk_load_s": bulk, "versions": versions}), flush=True)
    for line in sys.stdin:
        ask = json.loads(line)
        if ask["do"] == "create":
            chunk, pending = pending[: ask["n"]], pending[ask["n"] :]
            t0 = time.perf_counter()
            times = create(chunk, staff, queues)
            answer = {"times": times, "wall": time.perf_counter() - t0}
        elif ask["do"] == "list":
            answer = {"times": timed(lambda _: _list_requests(client, ""), list(range(ask["n"])))}
        elif ask["do"] == "search":
            answer = {"times": timed(lambda t: _list_requests(client, t), ask["terms"])}
        else:
            break
        print(json.dumps(answer), flush=True)
    return 0


def _version(name: str) -> str:
    from importlib.metadata import version

    return version(name)


if __name__ == "__main__":
    sys.exit(main())
