"""The favicon: every page links the portal's icon, and the address browsers ask for on their own
(/favicon.ico) leads to it instead of a 404 in every visit's log."""

from django.contrib.staticfiles import finders
from django.urls import reverse


def test_favicon_ico_leads_to_the_portals_icon(client, db):
    response = client.get("/favicon.ico")

    assert response.status_code == 301
    assert response["Location"] == "/static/favicon.svg"
    icon = client.get(response["Location"])
    assert icon.status_code == 200
    assert b"<svg" in b"".join(icon.streaming_content)


def test_the_icon_is_a_static_file_with_a_title(db):
    found = finders.find("favicon.svg")
    assert found is not None
    with open(found, encoding="utf-8") as source:
        assert "<title>RPO Partnership Portal</title>" in source.read()


def test_pages_link_the_icon(client, world):
    link = '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">'
    assert link in client.get(reverse("login")).content.decode()
    client.force_login(world.recruiter)
    assert link in client.get(reverse("partnership:requisition-list")).content.decode()


def test_the_server_error_page_links_the_icon_too(client, db):
    from django.template.loader import render_to_string

    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in render_to_string("500.html")
