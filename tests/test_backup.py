"""A backup (`make backup`: django-dbbackup's dbbackup + mediabackup) restores into an empty install
(`make restore`: migrate, dbrestore, mediarestore): the same rows, the same attachment bytes, no sessions."""

import io
import shutil

import dbbackup.settings
import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.contrib.sessions.models import Session
from django.core.files.base import ContentFile
from django.core.management import call_command

from proposals.demo import ensure_personas
from proposals.models import ProposalAttachment

# Committed data: pg_dump reads the database from another connection.
pytestmark = pytest.mark.django_db(transaction=True)

ATTACHMENT = "附件：调研报告\n".encode() + bytes(range(256)) * 40


@pytest.fixture
def folders(tmp_path, settings, monkeypatch):
    settings.MEDIA_ROOT = tmp_path / "media"
    backups = tmp_path / "backups"
    monkeypatch.setattr(dbbackup.settings, "STORAGE_OPTIONS", {"location": str(backups)})
    return settings.MEDIA_ROOT, backups


def counts():
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label not in ("sessions", "contenttypes", "auth")
    } | {"auth.User": User.objects.count()}


def run(*command):
    call_command(*command, stdout=io.StringIO(), stderr=io.StringIO())


def empty_install(media):
    """What a fresh machine has after `migrate`: the schema, Django's own rows, no data, no files."""
    run("flush", "--noinput")
    shutil.rmtree(media)


def test_a_backup_restores_rows_and_attachments_into_an_empty_install(folders, client):
    media, backups = folders
    ensure_personas()  # the seed letter, its proposal, replies, commitments, and the demo accounts
    proposal = apps.get_model("proposals", "Proposal").objects.get(number="20200287")
    attachment = ProposalAttachment.objects.create(proposal=proposal, name="调研报告")
    attachment.file.save("调研报告.pdf", ContentFile(ATTACHMENT))
    client.force_login(User.objects.get(username="keji"))  # a session, which a backup leaves out
    assert Session.objects.exists()
    before = counts()
    assert before["responses.Commitment"] > 0 and before["proposals.ProposalAttachment"] == 1

    run("dbbackup", "--noinput")
    run("mediabackup", "--noinput")
    assert len(list(backups.iterdir())) >= 2

    empty_install(media)
    assert counts()["proposals.Proposal"] == 0 and not media.exists()

    run("dbrestore", "--noinput")
    run("mediarestore", "--noinput")

    assert counts() == before
    assert not Session.objects.exists()
    restored = ProposalAttachment.objects.get()
    with restored.file.open("rb") as handle:
        assert handle.read() == ATTACHMENT
    assert User.objects.get(username="keji").check_password("keji-demo-2026")
    # The restored install serves the letter and the attachment's proposal page.
    letter = apps.get_model("responses", "Response").objects.get(proposal__number="20200287")
    assert "20200287" in client.get(letter.get_absolute_url()).content.decode()
