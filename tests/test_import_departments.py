"""import_departments: units and their duties (职责) from .csv or .xlsx, created or updated by name,
all or nothing."""

import io

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from proposals.models import Department
from tests.factories import make_committee, make_department

pytestmark = pytest.mark.django_db

SHEET = "名称,职责\n县林业局,负责森林防火和林业有害生物防治。\n县教育局,统筹管理学前教育和义务教育。\n"


def run(path, committee, **options):
    out = io.StringIO()
    call_command("import_departments", "--committee", committee.name, str(path), stdout=out, **options)
    return out.getvalue()


@pytest.fixture
def committee():
    return make_committee(name="某县政协")


def test_it_creates_units_with_their_duties_from_a_csv(tmp_path, committee):
    path = tmp_path / "units.csv"
    path.write_text(SHEET, encoding="utf-8")

    output = run(path, committee)

    assert "新建 2 个" in output
    forestry = Department.objects.get(name="县林业局")
    assert forestry.duties == "负责森林防火和林业有害生物防治。" and forestry.committee == committee


def test_it_updates_by_name_and_leaves_the_same_alone(tmp_path, committee):
    make_department("县林业局", committee=committee, duties="旧的职责")
    make_department("县教育局", committee=committee, duties="统筹管理学前教育和义务教育。")
    path = tmp_path / "units.csv"
    path.write_text(SHEET, encoding="utf-8")

    output = run(path, committee)

    assert "新建 0 个，更新 1 个，未变 1 个" in output
    assert Department.objects.get(name="县林业局").duties == "负责森林防火和林业有害生物防治。"


def test_it_reads_an_xlsx_and_a_gbk_csv(tmp_path, committee):
    book = openpyxl.Workbook()
    book.active.append(["名称", "职责"])
    book.active.append(["县水利局", "负责水资源统一管理和保护。"])
    book.save(tmp_path / "units.xlsx")
    (tmp_path / "units.csv").write_bytes("名称,职责\n县民政局,负责社会救助和养老服务。\n".encode("gb18030"))

    run(tmp_path / "units.xlsx", committee)
    run(tmp_path / "units.csv", committee)

    assert Department.objects.get(name="县水利局").duties == "负责水资源统一管理和保护。"
    assert Department.objects.get(name="县民政局").duties == "负责社会救助和养老服务。"


def test_one_bad_row_writes_nothing_and_every_problem_is_named_with_its_row(tmp_path, committee):
    make_department("县公安局", committee=make_committee(name="另一政协"))
    path = tmp_path / "units.csv"
    path.write_text(SHEET + ",没有名称\n县林业局,重复\n县公安局,维护社会治安。\n", encoding="utf-8")

    with pytest.raises(CommandError) as raised:
        run(path, committee)

    message = str(raised.value)
    assert "第4行：名称为空" in message
    assert "第5行：与第2行重名" in message
    assert "第6行：同名单位属于其他政协（人大）" in message
    assert not Department.objects.filter(name__in=["县林业局", "县教育局"]).exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("units.csv", "单位,说明\n县林业局,x\n".encode(), "缺少列：名称、职责"),
        ("units.xlsx", b"not a workbook", "无法读取该Excel文件"),
        ("units.txt", b"x", "请提供 .xlsx 或 .csv 文件"),
        ("units.csv", "名称,职责\n".encode(), "文件中没有单位"),
    ],
)
def test_unreadable_files_are_refused_with_a_reason(tmp_path, committee, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)

    with pytest.raises(CommandError, match=message):
        run(path, committee)


def test_dry_run_checks_and_writes_nothing(tmp_path, committee):
    path = tmp_path / "units.csv"
    path.write_text(SHEET, encoding="utf-8")

    output = run(path, committee, dry_run=True)

    assert "试运行" in output and "新建 2 个" in output
    assert not Department.objects.filter(name="县林业局").exists()


def test_an_unknown_committee_is_named(tmp_path):
    path = tmp_path / "units.csv"
    path.write_text(SHEET, encoding="utf-8")

    with pytest.raises(CommandError, match="没有名为“无此政协”的政协"):
        call_command("import_departments", "--committee", "无此政协", str(path))
