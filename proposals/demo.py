"""The demo personas: one account per kind of user, on top of the seed letter.

Used by `manage.py seed_demo` and by the tests' personas, so both walk the same cast.
"""

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.utils import timezone

from . import drafts
from .models import CosignInvitation, Department, Profile, Proposal, Proposer, Session

SEED_NUMBER = "20200287"
# The seed letter's proposal; synthetic data (generate_synthetic) may reuse its number.
SEED_PROPOSAL = {"number": SEED_NUMBER, "session__term": 12, "session__number": 3}

# username, password, role, department or proposer, can sign off, what the account is for
PERSONAS = [
    ("office", "office-demo-2026", Profile.Role.OFFICE, "自治区政协办公厅", False, "政协办公厅工作人员"),
    (
        "keji",
        "keji-demo-2026",
        Profile.Role.DEPARTMENT,
        "自治区科技厅",
        True,
        "自治区科技厅（主办）承办人，可签发",
    ),
    (
        "fagai",
        "fagai-demo-2026",
        Profile.Role.DEPARTMENT,
        "自治区发展改革委",
        False,
        "自治区发展改革委（会办）承办人",
    ),
    (
        "jiaoyu",
        "jiaoyu-demo-2026",
        Profile.Role.DEPARTMENT,
        "自治区教育厅",
        False,
        "自治区教育厅承办人（与本提案无关）",
    ),
    ("jiangqiaoling", "jql-demo-2026", Profile.Role.DELEGATE, "蒋俏玲", False, "蒋俏玲代表（提案者）"),
    ("liming", "liming-demo-2026", Profile.Role.DELEGATE, "李明", False, "李明委员（另一位委员）"),
]

# The admin is a separate superuser: the office works through the tracker's own pages (the admin
# would let a superuser edit issued replies outside the workflow) and in the admin only unlocks
# throttled logins (django-axes).
ADMIN = ("admin", "admin-demo-2026", "系统管理员（超级用户，仅用于管理后台）")
OFFICE_GROUP = "政协办公厅（后台：解除登录锁定）"
OFFICE_ADMIN_PERMISSIONS = [
    ("axes", "view_accessattempt"),
    ("axes", "delete_accessattempt"),
    ("axes", "view_accessfailurelog"),
    ("axes", "view_accesslog"),
]


def ensure_office_group():
    group, _ = Group.objects.get_or_create(name=OFFICE_GROUP)
    for app_label, codename in OFFICE_ADMIN_PERMISSIONS:
        group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    return group


def ensure_admin():
    username, password, description = ADMIN
    User = get_user_model()
    user = User.objects.filter(username=username).first() or User(username=username)
    user.email = f"{username}@example.org"
    user.is_staff = user.is_superuser = True
    user.set_password(password)
    user.save()
    return username, password, description, user


def ensure_seed_letter():
    """Load the reference letter unless it is there. Returns True when it was loaded."""
    if Proposal.objects.filter(**SEED_PROPOSAL).exists():
        return False
    call_command("loaddata", "seed_letter", verbosity=0)
    return True


def ensure_personas():
    """Create (or reset) the demo accounts. Returns [(username, password, description, user)]."""
    ensure_seed_letter()
    # The seed is loaded first: synthetic data can repeat its number in its session.
    committee = Proposal.objects.filter(**SEED_PROPOSAL).order_by("pk").first().session.committee
    User = get_user_model()
    created = []
    for username, password, role, anchor, can_sign_off, description in PERSONAS:
        user, _ = User.objects.get_or_create(username=username)
        user.email = f"{username}@example.org"
        user.is_staff = role == Profile.Role.OFFICE
        user.is_superuser = False
        user.set_password(password)
        user.save()
        if user.is_staff:
            user.groups.add(ensure_office_group())
        department = proposer = None
        if role == Profile.Role.DELEGATE:
            kind = Proposer.Kind.DEPUTY if anchor == "蒋俏玲" else Proposer.Kind.MEMBER
            proposer = Proposer.objects.filter(name=anchor).first() or Proposer.objects.create(
                name=anchor, kind=kind
            )
        else:
            department, _ = Department.objects.get_or_create(
                name=anchor,
                defaults={
                    "committee": committee,
                    "kind": Department.Kind.OFFICE
                    if role == Profile.Role.OFFICE
                    else Department.Kind.GOVERNMENT,
                },
            )
        Profile.objects.update_or_create(
            user=user,
            defaults={
                "role": role,
                "department": department,
                "proposer": proposer,
                "can_sign_off": can_sign_off,
            },
        )
        created.append((username, password, description, user))
    return created


DEMO_DRAFT_TITLE = "关于发展林下经济助力乡村振兴的建议"
DEMO_DRAFT_BODY = "我区森林覆盖率高，林下经济潜力大，但规模小、链条短、品牌弱，带动农民增收有限。"
DEMO_DRAFT_SUGGESTIONS = [
    "加大林下经济财政扶持力度",
    "培育林下经济龙头企业和合作社",
    "完善林下产品标准和品牌体系",
]


def ensure_demo_draft():
    """An open session (online submission until a month from today) of the seed's committee, and a
    draft in it by 蒋俏玲 inviting 李明 to co-sign. Run after ensure_personas. Returns the draft."""
    today = timezone.localdate()
    committee = Proposal.objects.filter(**SEED_PROPOSAL).order_by("pk").first().session.committee
    session, _ = Session.objects.get_or_create(
        committee=committee, term=13, number=1, defaults={"year": today.year}
    )
    if session.submission_deadline is None or session.submission_deadline < today:
        session.submission_deadline = today + datetime.timedelta(days=30)
        session.save(update_fields=["submission_deadline"])
    first = Proposer.objects.get(profile__user__username="jiangqiaoling")
    draft = Proposal.objects.filter(
        session=session, title=DEMO_DRAFT_TITLE, proposer_links__proposer=first
    ).first()
    if draft is None:
        author = get_user_model().objects.get(username="jiangqiaoling")
        draft = drafts.start_draft(session=session, kind=Proposal.Kind.PROPOSAL, proposer=first, actor=author)
        drafts.save_draft(
            draft,
            title=DEMO_DRAFT_TITLE,
            body=DEMO_DRAFT_BODY,
            suggestions=DEMO_DRAFT_SUGGESTIONS,
            cosign_deadline=today + datetime.timedelta(days=14),
        )
        draft.refresh_from_db()  # save_draft writes through the locked row, not this instance
    invitee = Proposer.objects.get(profile__user__username="liming")
    CosignInvitation.objects.get_or_create(proposal=draft, proposer=invitee, defaults={"position": 1})
    return draft
