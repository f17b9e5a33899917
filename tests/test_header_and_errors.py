"""The header says who is signed in (the person and their unit, not the login name), and the 403
page says what the user cannot do and where to go."""

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
