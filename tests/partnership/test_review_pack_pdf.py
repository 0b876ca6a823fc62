"""The review pack as a PDF: a valid PDF (read back with poppler's pdftotext) holding the
engagement's name, every section and every figure's label; another client's answers 404; a server
without WeasyPrint's libraries answers a clear 503 page, never a 500."""

import shutil
import subprocess
import sys

import pytest
from django.urls import reverse

from partnership.qbr.pack import SECTION_TITLES
from partnership.scorecard import FIGURES

from . import review_kit
from .review_kit import NOW

needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils: make pdf-deps")


def _weasyprint_loads() -> bool:
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError):
        return False
    return True


needs_weasyprint = pytest.mark.skipif(not _weasyprint_loads(), reason="needs Pango for WeasyPrint: make pdf-deps")


@pytest.fixture(autouse=True)
def _clock(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def history(world):
    review_kit.start_engagement(world)
    review_kit.fill(world, requisitions=2)
    return world


def _pdf_url(world, engagement=None, quarter="2026-Q3"):
    engagement = engagement or world.acme_engagement
    return reverse("partnership:engagement-review-pdf", kwargs={"pk": engagement.pk}) + f"?quarter={quarter}"


def _text(pdf: bytes) -> str:
    result = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=False)
    assert result.returncode == 0, result.stderr
    return result.stdout.decode()


def _plain(text: str) -> str:
    """pdftotext's text with each run of spaces and line breaks as one space (labels may wrap)."""
    return " ".join(text.split())


@needs_weasyprint
@needs_poppler
@pytest.mark.parametrize("who", ["account_manager", "client_admin"])
def test_the_pdf_is_a_valid_pdf_with_the_engagement_every_section_and_every_figure(client, history, who):
    client.force_login(getattr(history, who))

    response = client.get(_pdf_url(history))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="acme-2026-Q3-review.pdf"'
    assert response.content.startswith(b"%PDF")
    text = _plain(_text(response.content))
    assert "Acme partnership" in text
    assert "Q3 2026" in text
    for title in SECTION_TITLES.values():
        assert title in text, title
    for spec in FIGURES:
        assert spec.label in text, spec.label
    # The charts are drawn into the PDF: their quarters and values are text in it.
    assert "Q4 2025" in text
    assert "100%" in text


@needs_weasyprint
@needs_poppler
def test_the_pdf_leaves_out_the_navigation_and_buttons(client, history):
    client.force_login(history.account_manager)

    text = _plain(_text(client.get(_pdf_url(history)).content))

    for word in ("Sign out", "Download PDF", "Download CSV", "Skip to the content", history.account_manager.email):
        assert word not in text


@pytest.mark.parametrize("who", ["globex_admin", "globex_hiring_manager"])
def test_another_clients_pdf_is_not_there(client, history, who):
    client.force_login(getattr(history, who))

    assert client.get(_pdf_url(history)).status_code == 404


@pytest.mark.parametrize("who", ["recruiter", "hiring_manager"])
def test_recruiters_and_hiring_managers_get_no_pdf(client, history, who):
    client.force_login(getattr(history, who))

    assert client.get(_pdf_url(history)).status_code == 403


def test_without_weasyprint_the_pdf_link_says_so_instead_of_failing(client, history, monkeypatch):
    # A server without Pango: importing WeasyPrint fails (None in sys.modules makes import raise).
    monkeypatch.setitem(sys.modules, "weasyprint", None)
    client.force_login(history.account_manager)

    response = client.get(_pdf_url(history))

    assert response.status_code == 503
    page = response.content.decode()
    assert "The PDF cannot be made on this server right now" in page
    assert "?quarter=2026-Q3" in page
    # The page itself still works (printable from the browser).
    assert (
        client.get(reverse("partnership:engagement-review", kwargs={"pk": history.acme_engagement.pk})).status_code
        == 200
    )
