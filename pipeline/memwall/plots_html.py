"""An offline HTML template for `dvc plots show`: the charting libraries inlined.

DVC's default page loads vega, vega-lite and vega-embed from a CDN through its `{scripts}`
placeholder. Our template (pipeline/web/plots_template.html) leaves that placeholder out and
marks where each library goes with `<!-- inline: <path under node_modules> -->`; this module
replaces each marker with the library's code (installed by `npm ci` from the committed
package-lock.json), so the page renders with no network and wherever it is opened.

    python -m memwall.plots_html --web pipeline/web --out pipeline/web/build/plots.html
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

MARKER = re.compile(r"<!-- inline: (?P<path>[\w./@-]+) -->")


class TemplateError(ValueError):
    """A template or library that cannot be inlined safely."""


def inline_libraries(template: str, read_library) -> str:
    """The template with every inline marker replaced by a <script> holding that library.

    `read_library(path)` returns a library's code for a path under node_modules. Code that
    contains `</script` would end the tag early and is refused.
    """

    def replace(match: re.Match) -> str:
        code = read_library(match["path"])
        if "</script" in code.lower():
            raise TemplateError(f"{match['path']}: contains '</script', cannot be inlined")
        return f"<script>/* {match['path']} */\n{code}\n</script>"

    if "{plot_divs}" not in template:
        raise TemplateError("template has no {plot_divs} placeholder (DVC needs it)")
    if "{scripts}" in template:
        raise TemplateError("template keeps DVC's {scripts} placeholder, which loads a CDN")
    return MARKER.sub(replace, template)


def build(web: Path, out: Path) -> Path:
    """Write the offline template from `web`/plots_template.html and `web`/node_modules."""
    modules = web / "node_modules"

    def read_library(path: str) -> str:
        file = modules / path
        if not file.is_file():
            raise TemplateError(f"{file}: not found; run `make web` (npm ci) first")
        return file.read_text(encoding="utf-8")

    template = (web / "plots_template.html").read_text(encoding="utf-8")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(inline_libraries(template, read_library), encoding="utf-8")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--web", type=Path, required=True, help="pipeline/web directory")
    parser.add_argument("--out", type=Path, required=True, help="template to write")
    args = parser.parse_args(argv)
    try:
        build(args.web, args.out)
    except (OSError, TemplateError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
