"""Page budget in a real browser: bytes transferred and first render on a throttled 4 Mbps link.

Serves our site (``python -m pipelines serve``) and, as the baseline of the same run, plain
``datasette serve`` of the same database (immutable, with Datasette's own pages and whatever
plugins are installed). Chromium (Debian's, through Playwright) loads each page with a cold cache
over a link throttled with the DevTools protocol (4 Mbps down, 1 Mbps up, 40 ms latency) and
reports the bytes transferred (all responses, compressed sizes) and the first contentful paint.
Targets of the site: the home page under 100 KB before charts and first render under 1 s.

    python bench/page_budget.py [--site build/site] [--repeat 3] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from servers import our_site, plain_datasette, serving  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
LINK = {
    "offline": False,
    "latency": 40,
    "downloadThroughput": 4_000_000 / 8,
    "uploadThroughput": 1_000_000 / 8,
}
PAGES = {
    "home": "/",
    "indicator": "/chitieu/indicators/cao-bang-2022-2960-bc-ubnd~2F2",
    "table": "/chitieu/observations",
}


def measure(browser: object, url: str) -> dict[str, float]:
    """One cold load: bytes over the wire, first contentful paint and load event, in ms."""
    context = browser.new_context()  # type: ignore[attr-defined]
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    cdp.send("Network.emulateNetworkConditions", LINK)
    received: list[float] = []
    cdp.on("Network.loadingFinished", lambda event: received.append(event["encodedDataLength"]))
    page.goto(url, wait_until="load")
    page.wait_for_timeout(200)
    timing = page.evaluate(
        """() => ({
          fcp: (performance.getEntriesByName('first-contentful-paint')[0] || {}).startTime || 0,
          load: performance.timing.loadEventEnd - performance.timing.navigationStart,
        })"""
    )
    context.close()
    return {"bytes": sum(received), "fcp_ms": timing["fcp"], "load_ms": timing["load"]}


def run(base: str, paths: dict[str, str], repeat: int) -> dict[str, dict[str, float]]:
    from playwright.sync_api import sync_playwright

    results = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        for name, path in paths.items():
            runs = [measure(browser, base + path) for _ in range(repeat)]
            results[name] = {key: statistics.median(r[key] for r in runs) for key in runs[0]}
        browser.close()
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=ROOT / "build" / "site")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    site = args.site.resolve()
    with serving(our_site(site)) as base:
        ours = run(base, PAGES, args.repeat)
    with serving(plain_datasette(site / "chitieu.db")) as base:
        plain = run(base, {"home": "/", "table": "/chitieu/observations"}, args.repeat)
    print(f"4 Mbps down, 40 ms latency, cold cache; median of {args.repeat}")
    print(
        f"{'page':<10} {'ours KB':>8} {'ours FCP ms':>12} {'plain KB':>9} {'plain FCP ms':>13} {'KB ratio':>9}"
    )
    for name, figures in ours.items():
        base_figures = plain.get(name)
        kb = figures["bytes"] / 1024
        line = f"{name:<10} {kb:>8.1f} {figures['fcp_ms']:>12.0f}"
        if base_figures:
            base_kb = base_figures["bytes"] / 1024
            line += f" {base_kb:>9.1f} {base_figures['fcp_ms']:>13.0f} {kb / base_kb:>9.2f}"
        print(line)
    home = ours["home"]
    print(
        f"home: {home['bytes'] / 1024:.1f} KB (target < 100 KB), first render {home['fcp_ms']:.0f} ms (target < 1000 ms)"
    )
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"ours": ours, "plain": plain}, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
