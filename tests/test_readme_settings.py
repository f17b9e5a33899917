"""Every environment variable the settings read is documented in README's settings table, and the
printed letter carries page numbers."""

import re
from pathlib import Path

from django.test import Client

ROOT = Path(__file__).resolve().parent.parent


def settings_table():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Settings (environment variables)", 1)[1].split("\n## ", 1)[0]
    return "\n".join(line for line in section.splitlines() if line.startswith("|"))


def test_every_environment_variable_is_in_the_readme_settings_table():
    source = (ROOT / "tracker" / "settings.py").read_text(encoding="utf-8")
    names = set(re.findall(r"""\(\s*["']((?:DJANGO|TRACKER|EMAIL|DATABASE)_[A-Z_]+)["']""", source))
    assert "TRACKER_SITE_URL" in names
    table = settings_table()
    assert sorted(name for name in names if f"`{name}`" not in table) == []


def test_the_settings_table_is_one_table():
    # A blank line inside a Markdown table ends it: the rows after it would print as plain text.
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Settings (environment variables)", 1)[1].split("\n## ", 1)[0]
    rows = [n for n, line in enumerate(section.splitlines()) if line.startswith("|")]
    assert rows == list(range(rows[0], rows[-1] + 1))


def test_the_printed_letter_numbers_its_pages():
    css = (ROOT / "tracker" / "static" / "tracker" / "print.css").read_text(encoding="utf-8")
    page_rule = css[css.index("@page") :]
    assert "@bottom-center" in page_rule and "counter(page)" in page_rule


def test_the_print_view_uses_the_print_stylesheet(seed_letter):
    page = Client().get(f"/replies/{seed_letter.pk}/print/").content.decode()
    assert 'tracker/print.css" media="print"' in page or "tracker/print." in page
