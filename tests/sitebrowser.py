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


def visit(browser, path: Path, width: int = WIDTHS["desktop"]) -> Visit:
    """Open `path` (a file on disk) in a fresh context of the given width, recording all."""
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    record = Visit(page)
    page.on("request", lambda r: record.requests.append(r.url))
    page.on("requestfailed", lambda r: record.failed.append(f"{r.url} ({r.failure})"))
    page.on(
        "console", lambda m: record.console_errors.append(m.text) if m.type == "error" else None
    )
    page.on("pageerror", lambda e: record.page_errors.append(str(e)))

    def on_dialog(dialog):
        record.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", on_dialog)
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
