"""Briefings from the ledger: ``build_report(store, place=..., fmt="html", out=...)``.

gather (claims, relations, contested subjects in scope) -> summary (template sentences) ->
charts and map (matplotlib PNGs) -> render (HTML, Markdown or PDF). The CLI's ``crosscheck report``
calls ``build_report``.
"""

from __future__ import annotations

from crosscheck.report.gather import ReportData, Scope, gather
from crosscheck.report.render import FORMATS, ReportResult, build_report
from crosscheck.report.summary import Statement, summarise

__all__ = ["FORMATS", "ReportData", "ReportResult", "Scope", "Statement", "build_report", "gather", "summarise"]
