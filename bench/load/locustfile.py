"""What the clerks of a petition bureau do all day, for locust (run by ``bench.load.run``).

Four kinds of desk, each clerk with an account of their own (made by ``bench.load.run``) in the
test world's agencies (``tests.plugin``): registration clerks of the county bureau (XFJ), case
handlers and leaders of the housing bureau (CJJ), and the bureau's supervisors. They log in once
(named on its own) and then work. Each waits 3–8 s between actions as a
person at a desk does (``LOAD_THINK="0"`` for none: the saturation runs). Pages are requested as a
browser would, forms with their CSRF token; the queue's badge counts are fetched after the page,
as its script does.

The two steps that issue a document are named on their own: ``step: accept`` (受理告知书) and
``step: approve_opinion`` (处理意见书), on matters prepared for them (``LOAD_PLAN``), each taken by
one desk only. Every registration the server acknowledges (its number on the page it redirects
to) is written to ``LOAD_PLAN``'s folder at the end, for the register check.
"""

from __future__ import annotations

import json
import os
import random
import re
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

from locust import HttpUser, between, constant, events, task

from core.cases.people.idcard import check_digit

PLAN = json.loads(Path(os.environ["LOAD_PLAN"]).read_text())
PASSWORD = PLAN["password"]
THINK = os.environ.get("LOAD_THINK", "3,8")
WAIT = constant(0) if THINK == "0" else between(*(float(x) for x in THINK.split(",")))
TERMS = ("物业", "拖欠工资", "征地补偿", "噪声", "安置房", "违法建设", "养老保险", "入学", "拆迁")
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华"
SUMMARIES = (
    "反映小区电梯长期故障，物业公司拒不维修，要求督促尽快修复。",
    "反映某建筑工地拖欠农民工工资三个月，要求协调支付。",
    "反映夜间施工噪声扰民，要求依法查处。",
    "反映征地补偿款未按协议足额支付，要求补发。",
)
ACCEPT = iter(PLAN["accept"])  # one desk takes each matter: no two clerks race for it
APPROVE = iter(PLAN["approve"])
ACCOUNTS = {prefix: iter(names) for prefix, names in PLAN["accounts"].items()}
ACKNOWLEDGED: list[str] = []
NUMBER = re.compile(r"已登记信访事项 (\w+)")
MATTER_LINK = re.compile(r'href="/cases/(\d+)"')


class _Forms(HTMLParser):
    """The fields of the forms on a page, by form action (hidden and pre-filled values)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: dict[str, dict[str, str]] = {}
        self.current: dict[str, str] | None = None
        self.select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.current = self.forms.setdefault(a.get("action") or "", {})
        elif self.current is None or (not a.get("name") and tag != "option"):
            return
        elif tag == "input" and a.get("type") not in ("checkbox", "radio", "submit", "file"):
            self.current[a["name"]] = a.get("value") or ""
        elif tag == "input" and a.get("type") in ("checkbox", "radio") and "checked" in a:
            self.current[a["name"]] = a.get("value") or "y"
        elif tag == "select":
            self.select = a["name"]
            self.current.setdefault(self.select, "")
        elif tag == "option" and self.select and ("selected" in a or not self.current[self.select]):
            self.current[self.select] = a.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None
        elif tag == "select":
            self.select = None


def forms_of(html: str) -> dict[str, dict[str, str]]:
    """``{action: {field: value}}`` of the page's forms."""
    parser = _Forms()
    parser.feed(html)
    return parser.forms


def id_number(rng: random.Random) -> str:
    """A valid resident ID number of someone born 1950–2000."""
    born = date(rng.randint(1950, 2000), rng.randint(1, 12), rng.randint(1, 28))
    first17 = f"210103{born:%Y%m%d}{rng.randint(0, 999):03d}"
    return first17 + check_digit(first17)


class Desk(HttpUser):
    """A person at a desk: logs in once, then works."""

    abstract = True
    wait_time = WAIT
    desk = ""  # the accounts' prefix (bench.load.run.DESKS)

    def on_start(self):
        self.rng = random.Random()
        self.username = next(ACCOUNTS[self.desk])
        self.seen: list[int] = list(PLAN["documents"][:30])
        page = self.client.get("/login", name="login page")
        token = _token(page.text)
        with self.client.post(
            "/login",
            data={"csrf_token": token, "username": self.username, "password": PASSWORD},
            name="login",
            catch_response=True,
        ) as resp:
            if "/login" in resp.url:
                resp.failure(f"login as {self.username} refused")
        self.queue("mine")

    def queue(self, tab: str):
        resp = self.client.get(f"/cases/queue?tab={tab}", name=f"queue {tab}")
        self.seen = [int(i) for i in MATTER_LINK.findall(resp.text)[:30]] or self.seen
        self.client.get(f"/cases/queue/counts?tab={tab}", name="queue badge counts")

    def matter(self, matter_id: int | None = None):
        matter_id = matter_id or self.rng.choice(self.seen)
        return self.client.get(f"/cases/{matter_id}", name="matter page")

    def search(self):
        self.client.get(f"/cases/search?q={self.rng.choice(TERMS)}", name="search")

    def step(self, matter_id: int, name: str, **fields):
        """Take step ``name`` from its form on the matter page."""
        page = self.matter(matter_id)
        action = f"/cases/{matter_id}/actions/{name}"
        data = forms_of(page.text).get(action)
        if data is None:  # counted as a failed step: the prepared matter lost its form
            self.environment.events.request.fire(
                request_type="POST",
                name=f"step: {name}",
                response_time=0,
                response_length=0,
                exception=RuntimeError(f"no form for {name} on matter {matter_id}"),
                context={},
            )
            return
        data.update(fields)
        with self.client.post(action, data=data, name=f"step: {name}", catch_response=True) as r:
            if f"/cases/{matter_id}" not in r.url or "已出具" not in r.text:
                r.failure(f"{name} on {matter_id} not done")


def _token(html: str) -> str:
    found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    return found.group(1) if found else ""


class RegistrationClerk(Desk):
    """Registers walk-ins and letters, looks people up, follows the bureau's queue."""

    weight = 20
    desk = "clerk"

    @task(3)
    def register(self):
        page = self.client.get("/cases/new", name="registration form")
        name = self.rng.choice(SURNAMES) + "".join(self.rng.sample(GIVEN, 2))
        data = {
            "csrf_token": _token(page.text),
            "parties-0-name": name,
            "parties-0-id_type": "resident_id",
            "parties-0-id_number": id_number(self.rng),
            "parties-0-mobile": f"139{self.rng.randrange(10**8):08d}",
            "parties-0-address": "城关镇东街1号",
            "channel": self.rng.choice(("visit", "letter", "phone")),
            "received_on": date.today().isoformat(),
            "purpose": "remedy",
            "handling_type": "complaint",
            "summary": self.rng.choice(SUMMARIES),
            "demands": "依法处理",
            "place_text": "城关镇",
            "head_count": "1",
        }
        with self.client.post("/cases/new", data=data, name="register", catch_response=True) as r:
            found = NUMBER.search(r.text)
            if r.status_code != 200 or not found:
                r.failure(f"registration not acknowledged ({r.status_code})")
            else:
                ACKNOWLEDGED.append(found.group(1))

    @task(3)
    def work_queue(self):
        self.queue("mine")

    @task(2)
    def open_matter(self):
        self.matter()

    @task(2)
    def find(self):
        self.search()


class CaseHandler(Desk):
    """Accepts what was forwarded to the housing bureau, reads matters and their documents."""

    weight = 15
    desk = "handler"

    @task(3)
    def work_queue(self):
        self.queue("mine")

    @task(3)
    def open_matter(self):
        self.matter()

    @task(2)
    def accept(self):
        matter_id = next(ACCEPT, None)
        if matter_id is None:
            return self.matter()
        self.step(matter_id, "accept")

    @task(1)
    def read_document(self):
        matter_id = self.rng.choice(PLAN["documents"])
        page = self.matter(matter_id)
        link = re.search(rf'href="(/cases/{matter_id}/attachments/\d+)"', page.text)
        if link:
            self.client.get(link.group(1), name="document PDF")


class Supervisor(Desk):
    """Watches the whole county: queue, search, exports."""

    weight = 10
    desk = "supervisor"

    @task(3)
    def work_queue(self):
        self.queue("all")

    @task(3)
    def find(self):
        self.search()

    @task(2)
    def open_matter(self):
        self.matter()

    @task(1)
    def export(self):
        term = self.rng.choice(TERMS)
        self.client.get(f"/cases/export.csv?q={term}", name="export CSV")


class UnitLeader(Desk):
    """The housing bureau's leader: approves handling opinions."""

    weight = 5
    desk = "leader"

    @task(2)
    def approve(self):
        matter_id = next(APPROVE, None)
        if matter_id is None:
            return self.matter()
        self.step(matter_id, "approve_opinion")

    @task(2)
    def work_queue(self):
        self.queue("mine")

    @task(2)
    def open_matter(self):
        self.matter()


@events.test_stop.add_listener
def _write_acknowledged(**_kw):
    out = Path(os.environ["LOAD_PLAN"]).with_name("acknowledged.json")
    out.write_text(json.dumps(ACKNOWLEDGED))
