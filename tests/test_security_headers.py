"""Every page carries a Content-Security-Policy allowing only our own files, and a Permissions-Policy;
no template holds an inline script, style or event handler the policy would block."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE_DIRS = [ROOT / "templates", *ROOT.glob("*/templates")]
INLINE = [
    ("inline script", re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)),
    ("style element", re.compile(r"<style\b", re.I)),
    ("style attribute", re.compile(r"\sstyle\s*=", re.I)),
    ("event handler", re.compile(r"\son[a-z]+\s*=", re.I)),
    ("javascript: URL", re.compile(r"javascript:", re.I)),
]


def directives(header):
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


def test_no_template_holds_inline_script_or_style():
    found = [
        f"{path.relative_to(ROOT)}: {what}"
        for folder in TEMPLATE_DIRS
        for path in folder.rglob("*.html")
        for what, pattern in INLINE
        if pattern.search(path.read_text())
    ]
    assert found == []


def test_public_pages_send_the_policies_and_hold_nothing_inline(client, seed_letter):
    urls = [
        reverse("home"),
        reverse("proposals:list"),
        reverse("responses:letter", args=[seed_letter.pk]),
        reverse("opendata:stats"),
        reverse("search:search") + "?q=稀土",
        reverse("login"),
        reverse("letters:print", args=[seed_letter.pk]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        policy = directives(response["Content-Security-Policy"])
        assert policy["default-src"] == ["'self'"]
        assert policy["script-src"] == ["'self'"] and policy["style-src"] == ["'self'"], url
        assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
        assert "unsafe-inline" not in response["Content-Security-Policy"]
        permissions = response["Permissions-Policy"]
        assert all(f"{feature}=()" in permissions for feature in ("camera", "geolocation", "microphone"))
        page = response.content.decode()
        assert [what for what, pattern in INLINE if pattern.search(page)] == [], url


def test_the_api_answers_with_the_policies_too(client, seed_letter):
    response = client.get("/api/proposals/")
    assert response.status_code == 200
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert response["Permissions-Policy"]
