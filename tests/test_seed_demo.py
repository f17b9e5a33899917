import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from proposals.models import Proposal

pytestmark = pytest.mark.django_db


def test_it_loads_the_letter_once_and_prints_the_accounts(capsys, settings):
    settings.DEBUG = True
    call_command("seed_demo")
    assert "的草稿《关于发展林下经济助力乡村振兴的建议》已邀请" in capsys.readouterr().out
    call_command("seed_demo")
    out = capsys.readouterr().out
    assert Proposal.objects.filter(number="20200287").count() == 1
    assert "未重复导入" in out
    assert "office         office-demo-2026" in out
    assert get_user_model().objects.get(username="office").check_password("office-demo-2026")


def test_it_refuses_when_debug_is_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--force"):
        call_command("seed_demo")
    assert not get_user_model().objects.exists()


def test_force_overrides_the_refusal(settings):
    settings.DEBUG = False
    call_command("seed_demo", "--force")
    assert get_user_model().objects.filter(username="office").exists()


def test_the_demo_admin_is_a_separate_superuser_and_office_is_staff_without_superuser_powers(
    capsys, settings
):
    settings.DEBUG = True
    call_command("seed_demo")
    out = capsys.readouterr().out
    assert "admin          admin-demo-2026" in out
    users = get_user_model().objects
    admin = users.get(username="admin")
    office = users.get(username="office")
    assert admin.is_superuser and admin.check_password("admin-demo-2026")
    assert office.is_staff and not office.is_superuser
    # In the admin the office may unlock throttled logins, and nothing that bypasses the workflow.
    assert office.has_perm("axes.delete_accessattempt")
    assert not office.has_perm("responses.change_response")
    assert not office.has_perm("auth.change_user")


def test_it_opens_a_session_with_a_draft_inviting_a_co_signer(settings):
    from django.utils import timezone

    from proposals.models import CosignInvitation, Session

    settings.DEBUG = True
    call_command("seed_demo")
    call_command("seed_demo")
    open_session = Session.objects.get(submission_deadline__gt=timezone.localdate())
    draft = Proposal.objects.get(session=open_session, status=Proposal.Status.DRAFT)
    assert draft.first_proposer.name == "蒋俏玲"
    assert list(draft.suggestions.values_list("position", flat=True)) == [1, 2, 3]
    invitation = CosignInvitation.objects.get(proposal=draft)
    assert (invitation.proposer.name, invitation.status) == ("李明", CosignInvitation.Status.PENDING)
    # The seed record is unchanged.
    seed = Proposal.objects.get(number="20200287")
    assert seed.status == Proposal.Status.REPLIED and seed.session.submission_deadline is None
