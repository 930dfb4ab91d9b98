"""What every reports backend does beyond listing and cancelling: offer types, request a
report, find and download a finished one, checked, with no partial file left behind."""

from __future__ import annotations

from pathlib import Path

import pytest

from mwstui.backend.models import ReportJob
from mwstui.backend.protocols import Feature, ReportsBackend
from mwstui.backend.report_records import ReportRequest
from mwstui.errors import MwstuiError
from tests.contract.cases import CASES, Case
from tests.contract.rig import Rig

REPORT_CASES = [c for c in CASES if c.record is ReportJob]


@pytest.fixture(params=REPORT_CASES, ids=lambda c: c.name)
def case(request: pytest.FixtureRequest) -> Case:
    return request.param  # type: ignore[no-any-return]


def reports(rig: Rig) -> ReportsBackend:
    backend = rig.session.backends.reports
    assert backend is not None
    return backend


def names(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir())


async def jobs(rig: Rig) -> dict[str, ReportJob]:
    found: dict[str, ReportJob] = {}
    async for page in reports(rig).list_jobs():
        found.update((j.id, j) for j in page.rows)
    return found


def test_it_offers_what_it_accepts_and_says_why_it_refuses(rig: Rig) -> None:
    backend = reports(rig)
    offered = backend.report_types("request")
    assert offered and set(offered) <= set(backend.report_types("filter"))
    assert all(backend.report_type_problem(t, "request") is None for t in offered)
    assert backend.report_type_problem("not a type", "request")
    statuses = [value for value, _label in backend.job_statuses()]
    assert statuses and all(label for _value, label in backend.job_statuses())
    choices = backend.marketplace_choices()
    assert any(m.preselected for m in choices) and all(m.label for m in choices)
    # A list of documents apart from the jobs is a feature, and its operations go with it.
    has_documents = Feature.REPORT_DOCUMENTS in backend.features
    assert bool(backend.document_operations) == has_documents
    assert set(backend.job_operations) <= set(backend.operations)


async def test_the_statuses_listed_are_the_ones_offered(rig: Rig) -> None:
    offered = {value for value, _label in reports(rig).job_statuses()}
    assert {str(j.status) for j in (await jobs(rig)).values()} <= offered


async def test_a_requested_report_is_listed_with_its_type(rig: Rig) -> None:
    backend = reports(rig)
    report_type = backend.report_types("request")[0]
    marketplaces = tuple(m.id for m in backend.marketplace_choices() if m.preselected)
    new_id = await backend.request_report(ReportRequest(report_type, marketplaces))
    listed = await jobs(rig)
    assert new_id in listed and listed[new_id].report_type == report_type
    assert listed[new_id].status.known and not listed[new_id].status.terminal


def options_received(rig: Rig, job_id: str) -> dict[str, str]:
    """The report options the sandbox stored for the job (each service's own form)."""
    if rig.session.spapi is not None:
        seller = rig.sandbox.spapi.sellers[rig.sandbox.credentials.spapi_seller_id]
        return dict(seller.reports.reports[job_id].options or {})
    # MWS: ReportOptions is one string, "name=value" pairs joined by ";".
    sent = rig.sandbox.seller().reports.requests[job_id].options or ""
    return dict(pair.split("=", 1) for pair in sent.split(";") if pair)


async def test_report_options_reach_the_service(rig: Rig) -> None:
    backend = reports(rig)
    report_type = backend.report_types("request")[0]
    options = (("ShowSalesChannel", "true"), ("custom", "true"))
    new_id = await backend.request_report(ReportRequest(report_type, options=options))
    assert options_received(rig, new_id) == dict(options)
    plain = await backend.request_report(ReportRequest(report_type))
    assert options_received(rig, plain) == {}


async def test_a_finished_report_downloads_checked_and_whole(rig: Rig, tmp_path: Path) -> None:
    backend = reports(rig)
    out = tmp_path / "out"
    out.mkdir()
    listed = await jobs(rig)
    job = next(j for j in listed.values() if backend.downloadable(j) and j.document_id)
    assert not any(backend.downloadable(j) for j in listed.values() if not j.status.terminal)
    document = await backend.document_for(job)
    assert document == job.document_id
    seen: list[tuple[int, int | None]] = []
    saved = await backend.download(document, out / "report.txt", progress=
                                   lambda done, total: seen.append((done, total)))  # fmt: skip
    assert saved.path == out / "report.txt" and saved.document_id == document
    assert saved.size == saved.path.stat().st_size > 0
    assert saved.verified and saved.check
    assert seen and seen[-1][0] > 0
    assert names(out) == ["report.txt"]  # no temporary file left


async def test_a_download_that_fails_leaves_no_file(rig: Rig, tmp_path: Path) -> None:
    backend = reports(rig)
    out = tmp_path / "out"
    out.mkdir()
    listed = await jobs(rig)
    job = next(j for j in listed.values() if backend.downloadable(j) and j.document_id)
    assert job.document_id is not None
    with pytest.raises(MwstuiError):
        await backend.download(job.document_id, out / "missing" / "report.txt")
    with pytest.raises(MwstuiError):
        await backend.download("00000000000000000", out / "report.txt")
    assert names(out) == []
