"""The pack as a PDF, drawn by WeasyPrint from the same HTML as the page and its print stylesheet.

WeasyPrint is imported only when a PDF is asked for: it needs Pango (``make pdf-deps``), and a
server without it must still serve every page; the download then says that the PDF cannot be made
here (``PdfUnavailable``), and the page and its print still work.

WeasyPrint fetches nothing: the pack's stylesheet is read from its file here and handed over as
text, its ``url_fetcher`` allows no address at all, and the HTML holds no image but its inline SVG
charts.
"""

from __future__ import annotations

import logging
from pathlib import Path

from django.contrib.staticfiles import finders

logger = logging.getLogger(__name__)

STYLESHEETS = ("css/review.css",)


class PdfUnavailable(Exception):
    """WeasyPrint (or the system libraries it needs) cannot be loaded on this server."""


def _stylesheet_paths() -> list[Path]:
    paths = []
    for name in STYLESHEETS:
        found = finders.find(name)
        if not found:
            raise PdfUnavailable(f"The stylesheet {name} is missing.")
        paths.append(Path(found).resolve())
    return paths


def render_pdf(html: str) -> bytes:
    """``html`` (a whole document) as PDF bytes, with the pack's stylesheets."""
    try:
        import weasyprint
    except (ImportError, OSError) as error:  # OSError: Pango or another library is missing
        logger.warning("The review pack's PDF cannot be made: WeasyPrint does not load (%s).", error)
        raise PdfUnavailable(str(error)) from error

    # Nothing is fetched: the stylesheets are read here, and the fetcher allows no address at all.
    fetch_nothing = weasyprint.urls.URLFetcher(allowed_protocols=())
    stylesheets = [
        weasyprint.CSS(string=path.read_text(encoding="utf-8"), url_fetcher=fetch_nothing)
        for path in _stylesheet_paths()
    ]
    document = weasyprint.HTML(string=html, url_fetcher=fetch_nothing)
    return document.write_pdf(stylesheets=stylesheets)
