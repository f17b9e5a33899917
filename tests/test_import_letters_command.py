"""`manage.py import_letters FOLDER`: every letter in its own transaction, and a report of what was
imported, skipped as a duplicate, or failed and why."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from proposals.models import Assignment, Committee, Department, Event, Proposal, Proposer, Session
from responses.docx_letter import build_docx
from responses.models import Commitment, Response, ResponseItem
from responses.parsing import parse_letter

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"
SEED = (DATA / "seed_letter.txt").read_text(encoding="utf-8")
LETTER_01 = (DATA / "letters" / "01_header_top_proposal.txt").read_text(encoding="utf-8")
LETTER_02 = (DATA / "letters" / "02_suggestion_class_at_end.txt").read_text(encoding="utf-8")
COUNTED = [Session, Department, Proposer, Proposal, Assignment, Response, ResponseItem, Commitment, Event]


def counts():
    return {model.__name__: model.objects.count() for model in COUNTED}


def run(folder, *args):
    out = io.StringIO()
    call_command("import_letters", str(folder), *args, stdout=out)
    return out.getvalue()


def seed_docx():
    parsed = parse_letter(SEED)
    letter = parsed.to_dict()
    letter.update(title_lines=parsed.title_lines, salutation=parsed.salutation, opening=parsed.opening)
    return build_docx(letter)


@pytest.fixture
def committee(db):
    return Committee.objects.create(name="中国人民政治协商会议广西壮族自治区委员会", short_name="自治区政协")


@pytest.fixture
def conflicting_proposal(committee):
    """Proposal 20230156 on record with another lead department than letter 01 names."""
    session = Session.objects.create(committee=committee, term=14, number=2, year=2023)
    proposal = Proposal.objects.create(
        session=session,
        number="20230156",
        title="关于加快培育科技型中小企业的建议",
        status=Proposal.Status.ASSIGNED,
    )
    Assignment.objects.create(
        proposal=proposal, department=Department.objects.create(name="市教育局"), role="lead"
    )
    return proposal


@pytest.fixture
def folder(tmp_path, committee, conflicting_proposal):
    (tmp_path / "a_seed.txt").write_text(SEED, encoding="utf-8")
    (tmp_path / "b_seed_again.docx").write_bytes(seed_docx())
    (tmp_path / "c_suggestion.txt").write_text(LETTER_02, encoding="utf-8")
    (tmp_path / "d_conflict.txt").write_text(LETTER_01, encoding="utf-8")
    (tmp_path / "e_not_a_letter.txt").write_text("会议纪要\n今天讨论了三件事。", encoding="utf-8")
    no_number = LETTER_01.replace("第20230156号", "").replace("（）", "")
    (tmp_path / "f_no_number.txt").write_text(no_number, encoding="utf-8")
    (tmp_path / "g_latin1.txt").write_bytes("Réponse".encode("latin-1"))
    (tmp_path / "h_broken.docx").write_bytes(b"not a zip")
    (tmp_path / "notes.pdf").write_bytes(b"%PDF-1.4")
    return tmp_path


def test_it_imports_good_letters_skips_duplicates_and_reports_failures(folder):
    report = run(folder)
    assert "共 8 个文件：导入 2 封，跳过 1 封（重复），失败 5 封。" in report
    assert (
        "a_seed.txt → 第20200287号 关于培养发展战略性新兴产业，推动广西工业高质量发展的建议"
        " · 自治区科技厅（已签发）" in report
    )
    assert "c_suggestion.txt → 第0456号" in report
    assert "b_seed_again.docx：与 a_seed.txt 是同一封答复函" in report
    assert "d_conflict.txt：提案已由市教育局主办，与答复函的主办单位“青川市科学技术局”不一致" in report
    assert "e_not_a_letter.txt：未识别为答复函" in report
    assert "f_no_number.txt：未找到提案编号" in report
    assert "g_latin1.txt：文件不是 UTF-8 编码" in report
    assert "h_broken.docx：无法读取 Word 文件" in report
    assert "notes.pdf" not in report

    seed = Proposal.objects.get(number="20200287")
    reply = seed.responses.get()
    assert reply.status == Response.Status.ISSUED
    assert [item.number_label for item in reply.item_tree()] == ["一、", "二、", "三、", "四、", "五、"]
    assert Commitment.objects.filter(item__response=reply).count() == 6
    assert seed.events.get().message == "由答复函导入"
    suggestion = Proposal.objects.get(number="0456")
    assert suggestion.kind == Proposal.Kind.SUGGESTION
    assert suggestion.session.year == 2023
    assert [p.name for p in suggestion.proposers.order_by("proposal_links__position")] == ["刘海燕", "陈刚"]


def test_unknown_sessions_departments_and_proposers_are_created_and_reported(folder):
    report = run(folder)
    assert "已新建（库中没有的会议、提案、单位和提案者，批量导入时自动新建）：" in report
    assert "a_seed.txt：新建会议：自治区政协十二届三次会议" in report
    assert "a_seed.txt：新建承办单位：自治区科技厅" in report
    assert "a_seed.txt：新建提案者：蒋俏玲代表" in report
    assert Department.objects.get(name="自治区政协办公厅").kind == Department.Kind.OFFICE


def test_a_failing_letter_is_rolled_back_alone(folder):
    run(folder)
    # d_conflict.txt created its departments and proposer before it failed: all rolled back…
    assert not Department.objects.filter(name__in=["青川市科学技术局", "市财政局", "市市场监管局"]).exists()
    assert not Proposer.objects.filter(name="王芳").exists()
    assert not Response.objects.filter(proposal__number="20230156").exists()
    # …while the letters before and after it are kept.
    assert Response.objects.filter(proposal__number__in=["20200287", "0456"]).count() == 2


def test_a_second_run_skips_every_letter_already_imported(folder):
    run(folder)
    before = counts()
    report = run(folder)
    assert "导入 0 封，跳过 3 封（重复）" in report
    assert "a_seed.txt：重复导入" in report
    assert counts() == before


def test_dry_run_writes_nothing_but_reports_the_same(folder):
    before = counts()
    report = run(folder, "--dry-run")
    assert report.startswith("试运行（--dry-run）：以下结果未写入数据库。")
    assert "可导入 2 封，跳过 1 封（重复），失败 5 封。" in report
    assert "将新建" in report
    assert counts() == before


def test_publish_imports_the_replies_as_published(folder):
    run(folder, "--publish")
    assert set(Response.objects.values_list("status", flat=True)) == {Response.Status.PUBLISHED}
    assert Proposal.objects.get(number="20200287").is_published


def test_existing_records_are_matched_not_duplicated(seed_letter, tmp_path):
    """The seed record is on record: a letter naming 自治区发改委 goes to 自治区发展改革委."""
    Response.objects.filter(pk=seed_letter.pk).delete()
    text = SEED.replace("自治区发展改革委、", "自治区发改委、")
    (tmp_path / "seed.txt").write_text(text, encoding="utf-8")
    before = Department.objects.count()
    report = run(tmp_path)
    assert "导入 1 封" in report
    assert "新建" not in report
    assert Department.objects.count() == before
    assert Proposal.objects.get().responses.get().department.name == "自治区科技厅"


def test_a_letter_of_an_unnamed_committee_fails_when_there_are_several(folder):
    Committee.objects.create(name="北湖市人大常委会", short_name="北湖市人大")
    report = run(folder)
    assert "c_suggestion.txt：无法确定“北湖市第十七届人民代表大会第三次会议”属于哪个政协（人大）" in report
    assert "a_seed.txt → " in report  # 自治区政协 is named in its session


def test_it_shows_a_progress_bar(folder, capsys):
    run(folder)
    assert "导入答复函" in capsys.readouterr().err


def test_a_missing_folder_is_an_error(tmp_path):
    with pytest.raises(CommandError, match="找不到文件夹"):
        run(tmp_path / "nowhere")
