"""One download of a report in its own process, so its peak RSS is the client's alone.

``python -m tests.bench.download_client MODE READY_JSON REPORT_ID DIR`` prints one line
of JSON: seconds, bytes, peak RSS (MB) and RSS after imports. Modes:

- ``mwstui``: ``client.reports.download_report`` (governed, streamed, MD5 verified,
  fsync'd, atomically renamed) — what the dashboard runs.
- ``bare``: a signed POST streamed with ``httpx`` into a file, nothing else.
- ``bare-md5-fsync``: the bare loop plus an MD5 of the bytes and an fsync (diagnostic).
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import resource
import sys
import time
from pathlib import Path
from typing import Any

import httpx

from mwstui.clock import SystemClock
from mwstui.mws.http import user_agent
from mwstui.mws.signing import MWSAuth
from mwstui.secret import Secret
from tests.bench.common import mws_session, peak_rss_mb, rss_mb


async def bare(ready: dict[str, Any], report_id: str, dest: Path, *, verify: bool) -> int:
    auth = MWSAuth(ready["access_key"], Secret(ready["secret_key"]), SystemClock())
    form = {
        "Action": "GetReport",
        "SellerId": ready["seller_id"],
        "Version": "2009-01-01",
        "ReportId": report_id,
    }
    size = 0
    digest = hashlib.md5(usedforsecurity=False)
    headers = {"User-Agent": user_agent(), "Accept-Encoding": "identity"}
    async with httpx.AsyncClient(auth=auth, headers=headers, timeout=60) as client:
        url = ready["mws_endpoint"] + "/Reports/2009-01-01"
        async with client.stream("POST", url, data=form) as response:
            response.raise_for_status()
            with dest.open("wb") as f:
                async for chunk in response.aiter_bytes():
                    f.write(chunk)
                    size += len(chunk)
                    if verify:
                        digest.update(chunk)
                if verify:
                    f.flush()
                    os.fsync(f.fileno())
    return size


async def governed(ready: dict[str, Any], report_id: str, dest: Path) -> int:
    session = mws_session(ready, SystemClock())
    assert session.mws is not None
    try:
        result = await session.mws.reports.download_report(report_id, dest)
    finally:
        await session.mws.aclose()
    if not result.data.verified:
        raise SystemExit("download was not MD5-verified")
    return result.data.size


def main() -> None:
    mode, ready_text, report_id, directory = sys.argv[1:5]
    ready = json.loads(ready_text)
    dest = Path(directory) / f"report-{mode}.txt"
    before = rss_mb()
    cpu = resource.getrusage(resource.RUSAGE_SELF)
    start = time.monotonic()
    if mode == "mwstui":
        size = asyncio.run(governed(ready, report_id, dest))
    else:
        size = asyncio.run(bare(ready, report_id, dest, verify=mode == "bare-md5-fsync"))
    elapsed = time.monotonic() - start
    dest.unlink(missing_ok=True)
    usage = resource.getrusage(resource.RUSAGE_SELF)  # every thread: loop, hasher, writer
    used = usage.ru_utime + usage.ru_stime - cpu.ru_utime - cpu.ru_stime
    out = {
        "seconds": elapsed,
        "bytes": size,
        "peak_rss_mb": peak_rss_mb(),
        "rss_start_mb": before,
        "cpu_seconds": used,
    }
    print(json.dumps(out))


if __name__ == "__main__":
    main()
