"""The bulletin (通报): a kept PDF whose Chinese text, figures, charts and named cases read back;
the dashboard shows the same SVG; the monthly/year-end job issues bulletins once.

Data: ``data.small_june``. CJJ: 及时受理 2/3 (66.7%), 按期办结 1/3 (A; B and S overdue), 参评
and 满意 no data; TOWN: 及时受理 0/1. B and S are named overdue, S sent back once (its first
reply no longer stands: not replied, not resolved).
"""

from __future__ import annotations

import re
import subprocess
from datetime import date

from sqlalchemy import select

from core.api import db
from tests.kit import audit_actions, install_module, post_on_page

from .data import small_june


def pdf_text(data: bytes) -> str:
    """The PDF's text (``pdftotext``), whitespace removed."""
    assert data.startswith(b"%PDF-")
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=data, capture_output=True, check=True
    )
    return "".join(out.stdout.decode("utf-8").split())


def pdf_links(data: bytes, tmp_path) -> list[str]:
    """The link targets in the PDF (``pdftohtml -xml`` lists them), in page order."""
    path = tmp_path / "bulletin.pdf"
    path.write_bytes(data)
    out = subprocess.run(
        ["pdftohtml", "-xml", "-i", "-stdout", str(path)], capture_output=True, check=True
    )
    return re.findall(r'<a href="([^"]+)"', out.stdout.decode("utf-8"))


def test_publish_and_issue_the_bulletin_then_read_it_back(app, as_user, tmp_path):
    june = small_june(app)
    c = as_user("evaluator")
    page, n = june["page"], june["numbers"]
    resp = post_on_page(
        c, page, "adjust", agency_id=str(june["town"]), points="2", reason="积极配合专项治理"
    )
    assert resp.status_code == 302
    resp = post_on_page(c, page, "publish-bulletin")
    assert resp.status_code == 302
    html = c.get(page).get_data(as_text=True)
    assert "已发布" in html and "记录加减分" not in html
    link = re.search(r'href="(/evaluation/bulletin/\d+\.pdf)">([^<]+)</a>', html)
    assert link.group(2) == "关于2026年6月信访工作考核情况的通报"
    pdf = c.get(link.group(1))
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    text = pdf_text(pdf.data)
    assert "关于2026年6月信访工作考核情况的通报" in text
    assert "一、考核得分与排名" in text and "县住建局" in text and "城关镇" in text
    # CJJ's figures with their numerators and denominators; TOWN's +2 adjustment.
    figures = text.split("二、指标明细")[1].split("三、图表")[0]
    assert "县住建局及时受理率（20）66.7%（2/3）13.33" in figures
    assert "按期办结率（25）33.3%（1/3）8.33" in figures
    assert "群众满意率（20）无数据（0/0）—" in figures
    assert "城关镇及时受理率（20）0.0%（0/1）0.00" in figures
    assert "2城关镇10.00+2.002.00" in text  # rank 2, 1 matter, base 0, +2, total 2
    # The charts are vector SVG drawn into the PDF: their titles, names and values are text.
    charts = text.split("三、图表")[1].split("四、超期事项")[0]
    assert charts.startswith("各单位考核总分县住建局城关镇45.23")
    assert "总分走势" in charts and "2026年6月" in charts
    # Every figure links to its matters: CJJ's and TOWN's numerators and denominators.
    links = pdf_links(pdf.data, tmp_path)
    for agency_id, code in (
        (june["cjj"], "timely_acceptance"),
        (june["town"], "on_time_completion"),
    ):
        for part in ("numerator", "denominator"):
            assert f"http://localhost{page}/agency/{agency_id}/{code}/{part}" in links
    # Named cases: B and S overdue (按期办结 counted against), S sent back once.
    overdue = text.split("四、超期事项")[1].split("五、退回重办事项")[0]
    assert n["B"] in overdue and n["S"] in overdue and n["A"] not in overdue
    sent_back = text.split("五、退回重办事项")[1]
    assert n["S"] in sent_back and n["B"] not in sent_back
    with app.app_context():
        assert {"evaluation.published", "evaluation.bulletin_issued"} <= audit_actions(
            "evaluation.%"
        )
    # The department head reads the published bulletin too (it is sent to the agencies).
    assert as_user("cjj_leader").get(link.group(1)).status_code == 200


def test_dashboard_shows_the_same_chart_ranking_and_leader_cases(app, as_user):
    june = small_june(app)
    c = as_user("evaluator")
    html = c.get("/evaluation/dashboard").get_data(as_text=True)
    chart = html.split('id="bar-chart">')[1].split("</div>")[0]
    svg = c.get(f"{june['page']}/charts").get_data(as_text=True)
    assert chart.strip() == svg.strip() and svg.startswith("<svg")
    assert "<title>各单位考核总分</title>" in svg and "县住建局" in svg
    leaders = html.split('id="leaders"')[1].split("</table>")[0]
    cells = re.sub(r"<[^>]+>", "|", leaders)
    # 王副县长's one case (S): replied but sent back, its new reply not delivered → not resolved.
    assert "|王副县长||1||0||0.0%||否|" in cells
    assert june["numbers"]["S"] in leaders


def test_scheduled_job_issues_monthly_and_year_end_bulletins_once(app, monkeypatch):
    from modules.evaluation.services import bulletin as job

    install_module(app, "evaluation")
    with app.app_context():
        from modules.evaluation.models import EvaluationBulletin, EvaluationPeriod

        monkeypatch.setattr(job, "today", lambda: date(2027, 1, 5))
        job.scheduled()
        job.scheduled()  # again: nothing more (idempotent)
        rows = db.session.execute(
            select(EvaluationPeriod.name, EvaluationPeriod.state, EvaluationBulletin.kind).join(
                EvaluationBulletin, EvaluationBulletin.period_id == EvaluationPeriod.id
            )
        ).all()
        assert sorted(rows) == [
            ("2026年12月", "published", "monthly"),
            ("2026年度", "published", "year_end"),
        ]
        pdf = db.session.execute(select(EvaluationBulletin.pdf).limit(1)).scalar_one()
        assert "信访工作考核情况的通报" in pdf_text(pdf)
