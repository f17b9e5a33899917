"""The admin is usable by an office clerk: every model's list, search and forms open."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import User
from django.urls import reverse

pytestmark = pytest.mark.django_db

OUR_MODELS = [
    model
    for model in apps.get_models()
    if model._meta.app_label in ("proposals", "responses") and not model.__name__.startswith("Historical")
]


@pytest.fixture
def clerk(client):
    user = User.objects.create_superuser("clerk", "clerk@example.org", "pw-not-used")
    client.force_login(user)
    return client


def test_every_model_is_registered():
    assert [m.__name__ for m in OUR_MODELS if not admin.site.is_registered(m)] == []


@pytest.mark.parametrize("model", OUR_MODELS, ids=lambda m: m.__name__)
def test_changelist_search_and_add_pages_open(clerk, seed_letter, model):
    opts = model._meta
    changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    assert clerk.get(changelist).status_code == 200
    assert clerk.get(changelist, {"q": "科技"}).status_code == 200
    expected_add = 403 if model.__name__ == "Event" else 200  # the timeline is append-only
    assert clerk.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add")).status_code == expected_add
    first = model.objects.first()
    if first is not None:
        assert (
            clerk.get(
                reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[first.pk])
            ).status_code
            == 200
        )


def test_the_reply_page_shows_its_items_inline(clerk, seed_letter):
    page = clerk.get(reverse("admin:responses_response_change", args=[seed_letter.pk])).content.decode()
    assert "关于建设新兴产业高水平创新创业平台的建议" in page
    assert "关于调整政府集中采购目录的问题" in page


def test_verbose_names_are_chinese():
    from proposals.models import Proposal
    from responses.models import Response

    assert str(Proposal._meta.verbose_name) == "提案"
    assert str(Response._meta.verbose_name) == "答复函"


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(reverse("admin:proposals_proposal_changelist"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
