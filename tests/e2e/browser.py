"""Serve the console and drive headless Chromium (Debian's package) against it.

Used by the browser test and by `python -m tests.e2e.browser` to refresh the README screenshots:
`python -m tests.e2e.browser --out docs/screenshots [page ...]`.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def chromium_path() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def serve(env: dict[str, str] | None = None) -> Iterator[str]:
    """Run `streamlit run streamlit_app.py` on a free port; yield its base URL."""
    port = _free_port()
    cmd = [sys.executable, "-m", "telemetry", "serve", "--", "--server.port", str(port),
           "--server.headless", "true", "--server.address", "127.0.0.1"]
    proc = subprocess.Popen(cmd, cwd=ROOT, env={**os.environ, **(env or {})},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            with contextlib.suppress(OSError):
                if urllib.request.urlopen(f"{base}/_stcore/health", timeout=1).status == 200:
                    break
            time.sleep(0.25)
        else:
            raise RuntimeError("streamlit did not start")
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def open_page(browser, url: str, width: int = 1440, height: int = 900):
    """Load a page and wait until Streamlit has finished running the script."""
    page = browser.new_page(viewport={"width": width, "height": height})
    page.goto(url, wait_until="networkidle")
    page.wait_for_selector("[data-testid='stAppViewContainer']", timeout=30000)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"
        " && document.querySelectorAll('[data-testid=\"stSkeleton\"]').length === 0",
        timeout=60000)
    page.wait_for_timeout(1500)  # charts (vega) draw after the script ends
    return page


def fit_to_content(page, width: int = 1440) -> None:
    """Grow the viewport to the app's scroll height (Streamlit scrolls an inner element, so a
    full-page screenshot would otherwise show one screen)."""
    height = page.evaluate("document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size({"width": width, "height": min(int(height) + 40, 12000)})
    page.wait_for_timeout(800)


def screenshots(out: Path, url_paths: list[str]) -> list[Path]:
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    saved = []
    with serve() as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        for url_path in url_paths:
            page = open_page(browser, f"{base}/{url_path}")
            target = out / f"{url_path.replace('/', '_').replace('?', '_').replace('=', '-') or 'home'}.png"
            fit_to_content(page)
            page.screenshot(path=str(target), full_page=True)
            saved.append(target)
            page.close()
        browser.close()
    return saved


def main() -> None:
    from telemetry import registry

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    parser.add_argument("pages", nargs="*", help="url paths (default: every registry page)")
    args = parser.parse_args()
    pages = args.pages or ["" if p.default else p.url_path for p in registry.PAGES]
    for path in screenshots(Path(args.out), pages):
        print(path)


if __name__ == "__main__":
    main()
