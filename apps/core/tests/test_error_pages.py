"""A missing page keeps the site's layout and offers a way back."""

import pytest


@pytest.mark.django_db
def test_not_found_page_has_the_layout_and_a_way_home(client, settings):
    settings.DEBUG = False
    response = client.get("/workspace/ideas/SLU-1999-9999/")
    assert response.status_code in (302, 404)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert 'href="#main"' in page  # the skip link of the layout
    assert 'href="/"' in page
