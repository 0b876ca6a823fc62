"""The quarterly business review pack of an engagement: one page for a quarter (on screen and
printed), the same as a PDF, and its figures as a CSV.

- ``quarters``: which quarter (``?quarter=2026-Q3``), in the engagement's time zone;
- ``pack``: what the pack holds (``review_pack``), read once for the page, the PDF and the CSV;
- ``charts``: the quarter-on-quarter charts, as inline SVG drawn on the server;
- ``export``: the CSV; ``pdf``: the PDF (WeasyPrint, loaded only when asked for).

Who reads it: those who run the engagement (``can_read_review_pack``): its account managers and
the provider's admins, and the client's admins. Another client's engagement is not there (404).
"""

from accounts.models import User

from ..policies import runs_engagement
from .export import CSV_HEADER, review_csv, review_rows
from .pack import CHARTED_FIGURES, SECTION_TITLES, SECTIONS, ReviewPack, review_pack
from .pdf import PdfUnavailable, render_pdf
from .quarters import Quarter, QuarterError, choose_quarter, default_quarter, engagement_quarters

MAY_NOT_READ_REVIEW_PACK = (
    "The quarterly review pack is for those who run the partnership: the engagement's account "
    "managers, the provider's admins and the client's admins."
)


def can_read_review_pack(user: User, engagement) -> bool:
    """Among those who see the engagement: those who answer for the partnership on either side."""
    return runs_engagement(user, engagement)


__all__ = [
    "CHARTED_FIGURES",
    "CSV_HEADER",
    "MAY_NOT_READ_REVIEW_PACK",
    "SECTIONS",
    "SECTION_TITLES",
    "PdfUnavailable",
    "Quarter",
    "QuarterError",
    "ReviewPack",
    "can_read_review_pack",
    "choose_quarter",
    "default_quarter",
    "engagement_quarters",
    "render_pdf",
    "review_csv",
    "review_pack",
    "review_rows",
]
