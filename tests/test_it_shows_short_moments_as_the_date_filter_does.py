"""``rpo_portal.pages.short_moment``: the string a list's view makes itself is the one the
template's ``date:"D j M, H:i"`` filter would show, in the viewer's zone and language."""

import zoneinfo
from datetime import UTC, datetime, timedelta

import pytest
from django.template import engines
from django.utils import timezone, translation

from rpo_portal.pages import short_moment

ZONES = ["UTC", "America/New_York", "Europe/Berlin", "Asia/Kolkata", "Pacific/Chatham"]


def _filtered(moment: datetime, zone: zoneinfo.ZoneInfo) -> str:
    template = engines["django"].from_string('{{ moment|date:"D j M, H:i" }}')
    with timezone.override(zone):
        return template.render({"moment": moment})


@pytest.mark.parametrize("zone_name", ZONES)
def test_it_matches_the_filter_across_a_year_in_every_zone(zone_name):
    zone = zoneinfo.ZoneInfo(zone_name)
    start = datetime(2026, 1, 1, 0, 7, tzinfo=UTC)
    for hours in range(0, 366 * 24, 37):  # every weekday, month, and both sides of each DST change
        moment = start + timedelta(hours=hours)
        assert short_moment(moment, zone) == _filtered(moment, zone)


def test_it_follows_the_active_language():
    moment = datetime(2026, 3, 3, 9, 5, tzinfo=UTC)  # a Tuesday in March
    zone = zoneinfo.ZoneInfo("Europe/Berlin")
    for language in ("en", "de", "fr"):
        with translation.override(language):
            assert short_moment(moment, zone) == _filtered(moment, zone)
    with translation.override("de"):
        assert short_moment(moment, zone).startswith("Di 3 Mär")
