"""Site chrome: the header says who is signed in (the person and their unit, not the login name),
the 403 page says what the user cannot do and where to go, and wide tables scroll in their box."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def header(client, url="/"):
    page = client.get(url).content.decode()
    return page[page.index("<header") : page.index("</header>")]


def test_a_department_user_sees_their_name_and_unit(client_for, personas):
    user = personas["lead"]
    user.first_name, user.last_name = "明", "王"
    user.save()
    text = header(client_for("lead"))
    assert "王明" in text and "自治区科技厅" in text


def test_a_delegate_without_a_full_name_is_named_as_the_proposer(client_for, personas):
    personas["proposer"].first_name = personas["proposer"].last_name = ""
    personas["proposer"].save()
    text = header(client_for("proposer"))
    assert "蒋俏玲" in text and "委员（代表）" in text


def test_the_office_sees_its_unit(client_for):
    assert "自治区政协办公厅" in header(client_for("office"))


def test_anonymous_visitors_see_no_name(client):
    assert "signed-in-as" not in header(client)


def test_the_403_page_says_what_cannot_be_done_and_where_to_go(client_for, personas):
    response = client_for("lead").get(reverse("office:dashboard"))
    assert response.status_code == 403
    page = response.content.decode()
    assert "您可以查看此页面的内容" not in page
    assert "您的账户没有进行此操作的权限" in page
    assert reverse("workspace") in page


def test_every_table_scrolls_inside_its_own_box_on_a_narrow_screen():
    """A wide table is wrapped in .table-responsive, so it scrolls sideways instead of being cut off
    on the right (tests/test_browser_small_screens.py checks the statistics page in a browser)."""
    from pathlib import Path

    unwrapped = []
    for path in (Path(__file__).resolve().parent.parent / "templates").rglob("*.html"):
        lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        for index, line in enumerate(lines):
            if "<table" in line and not any("table-responsive" in lines[i] for i in (index - 1, index)):
                unwrapped.append(f"{path.name}:{line.strip()[:60]}")
    assert unwrapped == []
