"""Every official document is issued, frozen as a PDF and its Chinese text read back out of it.

Document row → Attachment → stored bytes → ``pdftotext``: what the petitioner receives.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from core.cases.lifecycle.registration import PartyInput
from core.cases.models import Attachment, Document, Matter
from core.extensions import db
from core.pdf import LockedFetcher
from tests.cases_support import VALID_ID, agency, register, step
from tests.lifecycle_support import OPINION, add_user, documents, flat, pdf_text

D = date
EVIL = "反映补偿款未支付。<b>x</b><img src=file:///etc/passwd>"
FACTS = "经查，补偿款尚有 3 万元未支付<script>alert(1)</script>。"


def _walk_everything(mid: int) -> None:
    """交办 to the community → 受理 → 延期 → 处理意见 → 办结 → 复查 → 复核 (终结)."""
    step(
        mid,
        "supervisor",
        "assign",
        on=D(2026, 6, 2),
        agency_id=agency("COMM").id,
        standard="查清补偿款支付情况<i>并</i>依法答复",
        deadline=D(2026, 7, 31),
        leader="张副县长",
    )
    step(mid, "comm_handler", "accept", on=D(2026, 6, 3))
    step(mid, "leader", "extend", on=D(2026, 6, 10), days=20, reason="需补充房屋价值鉴定")
    step(mid, "comm_handler", "draft_opinion", on=D(2026, 6, 17), **{**OPINION, "facts": FACTS})
    step(mid, "leader", "approve_opinion", on=D(2026, 6, 18))
    step(mid, "comm_handler", "record_delivery", on=D(2026, 6, 22), method="in_person")
    step(mid, "supervisor", "approve_completion", on=D(2026, 6, 23))
    step(mid, "leader", "request_review", on=D(2026, 7, 1))
    step(
        mid,
        "leader",
        "issue_review_opinion",
        on=D(2026, 7, 20),
        facts="复查认为原处理意见认定事实清楚。",
        basis="《信访工作条例》第三十五条",
        demands=[{"demand": "补发拆迁补偿款", "outcome": "support"}],
    )
    step(mid, "leader", "request_reexam", on=D(2026, 7, 27))
    step(
        mid,
        "leader",
        "issue_reexam_opinion",
        on=D(2026, 8, 10),
        facts="复核认为复查意见适用依据正确。",
        basis="《信访工作条例》第三十六条",
        demands=[{"demand": "补发拆迁补偿款", "outcome": "support"}],
    )


def test_every_official_document_reads_back_from_its_pdf(app, monkeypatch):
    fetched: list[str] = []
    original_fetch = LockedFetcher.fetch

    def spy(self, url, headers=None):
        fetched.append(url)
        return original_fetch(self, url, headers)

    monkeypatch.setattr(LockedFetcher, "fetch", spy)

    with app.app_context():
        add_user("comm_handler", "社区承办人", "case_handler", "COMM")
        petitioner = [PartyInput(name="王大明", id_number=VALID_ID, mobile="13800138000")]
        m = register(received_on=D(2026, 6, 1), summary=EVIL, parties=petitioner)
        mid, number = m.id, m.number
        _walk_everything(mid)
        assert db.session.get(Matter, mid).state == "terminated"
        repeat = register(received_on=D(2026, 10, 12), repeat_of_id=mid, parties=petitioner)
        step(repeat.id, "supervisor", "refuse_repeat", on=D(2026, 10, 12))
        other = register(received_on=D(2026, 10, 12), summary=EVIL, parties=petitioner)
        step(other.id, "supervisor", "not_accept", on=D(2026, 10, 13), ground="out_of_remit")

        docs = {d.kind: d for d in documents(mid) + documents(repeat.id) + documents(other.id)}
        assert set(docs) == {
            "assignment_slip",
            "acceptance_notice",
            "extension_notice",
            "handling_opinion",
            "review_opinion",
            "reexam_opinion",
            "no_further_notice",
            "non_acceptance_notice",
        }
        numbers = [d.number for d in docs.values()]
        assert len(set(numbers)) == len(numbers)

        # kind → (title, number prefix, matter number, dated, key sentences)
        expected = {
            "assignment_slip": (
                "信访事项交办单",
                "交〔2026〕",
                number,
                "2026年6月2日",
                ["办理要求与标准", "查清补偿款支付情况<i>并</i>依法答复", "2026年7月31日前办结"],
            ),
            "acceptance_notice": (
                "受理告知书",
                "受告〔2026〕",
                number,
                "2026年6月3日",
                ["本机关决定予以受理", "东街社区"],
            ),
            "extension_notice": (
                "延期办理告知书",
                "延告〔2026〕",
                number,
                "2026年6月10日",
                ["办理期限延长20日，至2026年8月24日", "需补充房屋价值鉴定"],
            ),
            "handling_opinion": (
                "信访事项处理意见书",
                "处意〔2026〕",
                number,
                "2026年6月18日",
                [
                    "关于“补发拆迁补偿款”：予以支持",
                    flat(FACTS),
                    OPINION["basis"],
                    "向上一级机关请求复查",
                ],
            ),
            "review_opinion": (
                "信访事项复查意见书",
                "复查〔2026〕",
                number,
                "2026年7月20日",
                ["复查认为原处理意见认定事实清楚", "请求复核", "城关镇"],
            ),
            "reexam_opinion": (
                "信访事项复核意见书",
                "复核〔2026〕",
                number,
                "2026年8月10日",
                ["本复核意见为终结意见", "城关县"],
            ),
            "no_further_notice": (
                "不再受理告知书",
                "不再受告〔2026〕",
                repeat.number,
                "2026年10月12日",
                [number, "已经复核终结", "不再受理"],
            ),
            "non_acceptance_notice": (
                "不予受理告知书",
                "不受告〔2026〕",
                other.number,
                "2026年10月13日",
                ["不属于本机关职权范围", "本机关不予受理"],
            ),
        }
        for kind, (title, prefix, matter_number, dated, sentences) in expected.items():
            doc = docs[kind]
            assert doc.title == title and doc.number.startswith(prefix), kind
            att = db.session.get(Attachment, doc.attachment_id)
            assert att.content_type == "application/pdf" and att.kind == "document"
            assert att.filename == f"{title}-{doc.number}.pdf"
            text = flat(pdf_text(doc))
            for needle in (title, doc.number, "王大明", matter_number, dated, *sentences):
                assert flat(needle) in text, (kind, needle)
            # Personal data the document does not need stays out of it.
            assert VALID_ID not in text and "13800138000" not in text, kind
            if kind in ("acceptance_notice", "assignment_slip", "non_acceptance_notice"):
                # The summary is printed literally: markup escaped, nothing embedded.
                assert flat(EVIL) in text, kind
            assert "root:" not in text

        # No document made the renderer fetch anything (file:// or otherwise).
        assert not [u for u in fetched if not u.startswith("minsheng-asset:")], fetched
        assert b"/Subtype /Image" not in b"".join(
            _raw(d) for d in (docs["acceptance_notice"], docs["non_acceptance_notice"])
        )


def _raw(doc: Document) -> bytes:
    from core.cases.files.attachments import read

    return read(doc.attachment)


def test_an_accusers_name_is_not_printed_on_the_assignment_slip(app):
    with app.app_context():
        m = register(
            received_on=D(2026, 7, 6),
            purpose="accusation",
            handling_type="accusation",
            summary="检举某站长收受好处费",
        )
        doc = step(
            m.id,
            "supervisor",
            "assign",
            on=D(2026, 7, 6),
            agency_id=agency("CJJ").id,
            standard="依纪依法调查核实",
            deadline=D(2026, 8, 31),
        )
        text = flat(pdf_text(doc))
        assert "信访事项交办单" in text and m.number in text
        assert "依法保密" in text
        assert "王大明" not in text
        stored = db.session.execute(select(Document).where(Document.matter_id == m.id)).scalar_one()
        assert stored.id == doc.id


def test_a_step_that_fails_after_rendering_leaves_no_file_behind(app, monkeypatch):
    import pytest

    from core import audit
    from core.cases.files.attachments import storage_root

    with app.app_context():
        m = register(received_on=date(2026, 6, 1))
        step(m.id, "supervisor", "forward", on=date(2026, 6, 1), agency_id=agency("CJJ").id)
        before = {p for p in storage_root().rglob("*") if p.is_file()}

        def broken(*args, **kwargs):
            raise RuntimeError("audit store unavailable")

        monkeypatch.setattr(audit, "record", broken)
        with pytest.raises(RuntimeError):
            step(m.id, "handler", "accept", on=date(2026, 6, 2))
        after = {p for p in storage_root().rglob("*") if p.is_file()}
        assert after == before
        assert (
            db.session.execute(select(Document).where(Document.matter_id == m.id)).first() is None
        )
        assert db.session.get(Matter, m.id).state == "forwarded"
