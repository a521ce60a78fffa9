"""Debian's Chromium, headless, driven by playwright: one browser per test session.

Every request a page makes is recorded; `Visit.problems()` lists failed requests, requests
that leave the machine (anything but file:// and data:), console errors, page errors and
dialogs (an `alert` from an unescaped script).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parent / "artifacts" / "screenshots"
WIDTHS = {"desktop": 1400, "phone": 375}
MISSING_BROWSER = (
    f"{CHROMIUM} not found: the site's browser tests need Debian's Chromium. Install it with "
    "`apt-get install -y --no-install-recommends chromium` (.ci/run does this on CI)."
)


@dataclass
class Visit:
    """What happened while a page loaded and was used."""

    page: object
    requests: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    listeners: dict[str, object] = field(default_factory=dict)

    def stop(self) -> None:
        """Stop recording what the page does."""
        for event, listener in self.listeners.items():
            self.page.remove_listener(event, listener)
        self.listeners = {}

    def close(self) -> None:
        """Stop recording and leave the page blank for the next visit."""
        self.stop()
        self.page.goto("about:blank")

    def off_machine(self) -> list[str]:
        """Requests to anything but local files and inline data."""
        return [u for u in self.requests if not u.startswith(("file://", "data:"))]

    def problems(self) -> list[str]:
        """Everything a visitor would call broken, as readable lines (empty: none)."""
        return (
            [f"failed request: {u}" for u in self.failed]
            + [f"request off the machine: {u}" for u in self.off_machine()]
            + [f"console error: {m}" for m in self.console_errors]
            + [f"page error: {m}" for m in self.page_errors]
            + [f"dialog opened: {m}" for m in self.dialogs]
        )


def launch(playwright):
    """Chromium from Debian's package, headless, with nothing that phones home."""
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)


# One page per (browser, width), reused by every visit: a new context and page cost about
# 0.2 s each, more than loading a page. The site keeps no state in the browser (no storage,
# no cookies), and each visit loads its page anew with its own listeners.
_PAGES: dict[tuple[int, int], object] = {}
# The visit each page is recording (a test that failed before `close()` leaves one open).
_RECORDING: dict[int, Visit] = {}


def _page(browser, width: int):
    key = (id(browser), width)
    page = _PAGES.get(key)
    if page is None or page.is_closed():
        context = browser.new_context(viewport={"width": width, "height": 900})
        page = _PAGES[key] = context.new_page()
    return page


def visit(browser, path: Path, width: int = WIDTHS["desktop"]) -> Visit:
    """Open `path` (a file on disk) in a window of the given width, recording all until
    `Visit.close()`."""
    page = _page(browser, width)
    if (unclosed := _RECORDING.get(id(page))) is not None and unclosed.listeners:
        unclosed.close()  # left open by a failed test: nothing of its page reaches this visit
    record = _RECORDING[id(page)] = Visit(page)

    def on_dialog(dialog):
        record.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    record.listeners = {
        "request": lambda r: record.requests.append(r.url),
        "requestfailed": lambda r: record.failed.append(f"{r.url} ({r.failure})"),
        "console": lambda m: record.console_errors.append(m.text) if m.type == "error" else None,
        "pageerror": lambda e: record.page_errors.append(str(e)),
        "dialog": on_dialog,
    }
    for event, listener in record.listeners.items():
        page.on(event, listener)
    page.goto(path.resolve().as_uri())
    page.wait_for_load_state("load")
    return record


def screenshot(record: Visit, name: str) -> Path | None:
    """A full-page screenshot into tests/artifacts/screenshots/ (git-ignored), when the run
    asks for them (`MEMWALL_SCREENSHOTS=1`): encoding long pages costs seconds per run."""
    if not os.environ.get("MEMWALL_SCREENSHOTS"):
        return None
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    target = SCREENSHOTS / f"{name}.png"
    record.page.screenshot(path=str(target), full_page=True)
    return target
