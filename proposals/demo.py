"""The demo personas: one account per kind of user, on top of the seed letter.

Used by `manage.py seed_demo` and by the tests' personas, so both walk the same cast.
"""

from django.contrib.auth import get_user_model
from django.core.management import call_command

from .models import Department, Profile, Proposal, Proposer

SEED_NUMBER = "20200287"

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


def ensure_seed_letter():
    """Load the reference letter unless it is there. Returns True when it was loaded."""
    if Proposal.objects.filter(number=SEED_NUMBER, session__term=12, session__number=3).exists():
        return False
    call_command("loaddata", "seed_letter", verbosity=0)
    return True


def ensure_personas():
    """Create (or reset) the demo accounts. Returns [(username, password, description, user)]."""
    ensure_seed_letter()
    committee = Proposal.objects.get(number=SEED_NUMBER).session.committee
    User = get_user_model()
    created = []
    for username, password, role, anchor, can_sign_off, description in PERSONAS:
        user, _ = User.objects.get_or_create(username=username)
        user.email = f"{username}@example.org"
        user.is_staff = user.is_superuser = role == Profile.Role.OFFICE
        user.set_password(password)
        user.save()
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
