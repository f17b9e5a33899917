"""The Excel intake's preview step: repeated rows, proposals on file, proposers matched or probably
misspelt, kinds per name, the same file twice, confirm checking again, cancel."""

import datetime
import io

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from proposals import importing, intake, workflow
from proposals.models import Committee, IntakeBatch, Proposal, Proposer
from tracker.chinese import fold_title

pytestmark = pytest.mark.django_db

SEED_TITLE = "关于培养发展战略性新兴产业，推动广西工业高质量发展的建议"


def row(title, proposers="王五", kinds="委员", session="十二届三次"):
    return [session, "提案", title, "正文", "", "2020-01-15", proposers, kinds]


def xlsx(rows):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(importing.HEADERS)
    for values in rows:
        sheet.append(values)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def upload(office, rows=None, data=None, name="提案.xlsx", follow=True):
    data = data if data is not None else xlsx(rows)
    return office.post(
        reverse("office:proposal_import"),
        {"committee": Committee.objects.get().pk, "file": SimpleUploadedFile(name, data)},
        follow=follow,
    )


def check(rows):
    return importing.check_workbook(io.BytesIO(xlsx(rows)), Committee.objects.get())


def submitted_titles():
    return sorted(Proposal.objects.filter(status=Proposal.Status.SUBMITTED).values_list("title", flat=True))


# Rules --------------------------------------------------------------------------------------


def test_titles_fold_spaces_punctuation_and_width_variants():
    assert fold_title("《关于 发展数字经济的建议》。") == fold_title("关于发展数字经济的建议")
    assert fold_title("关于推动5G发展的建议") == fold_title("关于推动５Ｇ发展的建议！")
    assert fold_title("关于发展数字经济的建议") != fold_title("关于发展数字农业的建议")


def test_a_row_repeated_in_the_file_is_flagged_with_the_earlier_line(seed_letter):
    result = check(
        [row("关于发展数字经济的建议"), row("关于发展林下经济的建议"), row("关于 发展数字经济的建议。")]
    )
    assert [(r.line, r.outcome, r.duplicate_line) for r in result.rows] == [
        (2, "create", None),
        (3, "create", None),
        (4, "duplicate", 2),
    ]


def test_the_same_title_by_another_first_proposer_is_not_a_repeat(seed_letter):
    result = check([row("关于发展数字经济的建议", "王五"), row("关于发展数字经济的建议", "赵六")])
    assert [r.outcome for r in result.rows] == ["create", "create"]


def test_a_proposal_already_on_file_is_flagged_with_a_link(seed_letter):
    result = check([row(SEED_TITLE.replace("，", ","), "蒋俏玲", "代表")])
    (flagged,) = result.rows
    assert flagged.outcome == "duplicate"
    assert flagged.duplicate_of == seed_letter.proposal_id
    assert flagged.duplicate_label == f"第20200287号 {SEED_TITLE}"


def test_the_same_title_in_another_session_is_not_a_repeat(seed_letter):
    Committee.objects.get().sessions.create(term=12, number=4, year=2021)
    result = check([row(SEED_TITLE, "蒋俏玲", "代表", session="十二届四次")])
    assert result.rows[0].outcome == "create"


def test_a_name_one_character_off_is_offered_as_the_person_on_file(seed_letter):
    result = check([row("关于发展数字经济的建议", "蒋俏龄", "代表")])
    (name,) = result.rows[0].names
    jiang = Proposer.objects.get(name="蒋俏玲")
    assert (name.status, name.options) == ("suggest", [[jiang.pk, "蒋俏玲代表", "一字之差"]])
    assert result.rows[0].outcome == "check"


def test_a_known_name_under_another_kind_is_offered_as_that_person(seed_letter):
    result = check([row("关于发展数字经济的建议", "蒋俏玲", "委员")])
    (name,) = result.rows[0].names
    jiang = Proposer.objects.get(name="蒋俏玲")
    assert (name.status, name.options) == ("suggest", [[jiang.pk, "蒋俏玲代表", "同名，类型为代表"]])


def test_typos_are_one_edit_among_the_committees_proposers_of_the_same_kind(seed_letter):
    index = importing.TypoIndex(Committee.objects.get())
    jiang = Proposer.objects.get(name="蒋俏玲")
    deputy = Proposer.Kind.DEPUTY
    assert index.near("蒋俏龄", deputy) == [(jiang.pk, "蒋俏玲")]  # one replaced
    assert index.near("蒋玲", deputy) == [(jiang.pk, "蒋俏玲")]  # one left out
    assert index.near("蒋俏俏玲", deputy) == [(jiang.pk, "蒋俏玲")]  # one added
    assert index.near("江俏龄", deputy) == []  # two off
    assert index.near("蒋俏龄", Proposer.Kind.MEMBER) == []  # another kind
    # Someone on file but on none of the committee's proposals is not a typo candidate.
    Proposer.objects.create(name="王伍", kind=Proposer.Kind.MEMBER)
    assert importing.TypoIndex(Committee.objects.get()).near("王五", Proposer.Kind.MEMBER) == []


def test_kinds_may_be_given_one_per_name(seed_letter, personas):
    result = check([row("关于发展数字经济的建议", "李明、蒋俏玲", "委员、代表")])
    assert [(n.name, n.kind, n.status) for n in result.rows[0].names] == [
        ("李明", Proposer.Kind.MEMBER, "exact"),
        ("蒋俏玲", Proposer.Kind.DEPUTY, "exact"),
    ]


def test_kinds_that_do_not_line_up_with_the_names_are_refused(seed_letter):
    result = check([row("关于发展数字经济的建议", "李明、蒋俏玲、王五", "委员、代表")])
    assert result.errors == [
        "第2行：提案者类型有2项而提案者有3位：填一种类型适用于全部提案者，或按顺序逐一对应"
    ]


def test_checking_costs_the_same_queries_for_few_and_many_rows(seed_letter, django_assert_num_queries):
    few = [row(f"关于第{n}项工作的建议", f"新人{n}") for n in range(3)]
    many = [row(f"关于第{n}项工作的建议", f"新人{n}") for n in range(60)]
    # sessions of the committee; live sessions; proposers by name; the committee's proposers (typos);
    # first proposers of the sessions' proposals
    committee = Committee.objects.get()
    with django_assert_num_queries(5):
        importing.check_workbook(io.BytesIO(xlsx(few)), committee)
    with django_assert_num_queries(5):
        importing.check_workbook(io.BytesIO(xlsx(many)), committee)


def test_without_a_preview_repeats_are_skipped_and_a_typo_is_refused(seed_letter, personas):
    committee, office = Committee.objects.get(), personas["office"]
    rows = [row("关于发展数字经济的建议"), row("关于发展数字经济的建议")]
    result = importing.import_workbook(io.BytesIO(xlsx(rows)), committee, office)
    assert (result.errors, result.skipped, submitted_titles()) == ([], [3], ["关于发展数字经济的建议"])
    typo = [row("关于发展林下经济的建议", "蒋俏龄", "代表")]
    result = importing.import_workbook(io.BytesIO(xlsx(typo)), committee, office)
    assert result.errors == ["第2行：请确认提案者“蒋俏龄”是系统中的哪一位，或新建"]
    assert not Proposer.objects.filter(name="蒋俏龄").exists()


def test_the_templates_example_of_kinds_per_name_passes_the_check(seed_letter, personas):
    notes = openpyxl.load_workbook(io.BytesIO(importing.build_template()))["说明"]
    examples = [[cell.value for cell in line] for line in notes.iter_rows() if line[0].value == "十二届三次"]
    assert any("、" in example[7] for example in examples)
    result = check(examples)
    assert result.errors == []


# The preview page -----------------------------------------------------------------------------

MIXED = [
    row("关于发展数字经济的建议", "李明、蒋俏玲", "委员、代表"),  # 2: kinds per name, both on file
    row("关于发展数字经济的建议。", "李明、蒋俏玲", "委员、代表"),  # 3: repeats row 2
    row(SEED_TITLE, "蒋俏玲", "代表"),  # 4: on file already
    row("关于发展林下经济的建议", "蒋俏龄", "代表"),  # 5: a typo of 蒋俏玲
    row("关于保护漓江的建议", "王五", "委员"),  # 6: a new proposer
]


def test_the_preview_shows_each_row_and_creates_nothing(office, personas, seed_letter):
    response = upload(office, MIXED)
    page = response.content.decode()
    assert response.status_code == 200
    assert "共5行：" in page and "将新建2行，重复2行，需确认提案者1行，有错误0行；将新建提案者1位" in page
    assert "与第2行重复" in page
    assert f'href="{reverse("office:proposal_detail", args=[seed_letter.proposal_id])}"' in page
    assert "就是蒋俏玲代表（一字之差）" in page and "新建提案者“蒋俏龄”" in page
    assert "将新建提案者" in page
    assert submitted_titles() == []
    batch = IntakeBatch.objects.get()
    assert (batch.status, batch.file_name, batch.created_by) == ("pending", "提案.xlsx", personas["office"])
    assert len(batch.sha256) == 64


def test_confirm_creates_the_rows_as_decided(office, personas):
    batch = upload(office, MIXED).context["batch"]
    jiang = Proposer.objects.get(name="蒋俏玲")
    response = office.post(
        reverse("office:intake_confirm", args=[batch.pk]), {"person-5-0": jiang.pk}, follow=True
    )
    assert "已导入3件提案，待审查。未导入重复的第3、4行。" in response.content.decode()
    assert submitted_titles() == sorted(
        ["关于发展数字经济的建议", "关于发展林下经济的建议", "关于保护漓江的建议"]
    )
    forest = Proposal.objects.get(title="关于发展林下经济的建议")
    assert forest.proposer_links.get().proposer == jiang  # the typo went to the person on file
    assert not Proposer.objects.filter(name="蒋俏龄").exists()
    assert Proposer.objects.filter(name="王五", kind=Proposer.Kind.MEMBER).count() == 1
    batch.refresh_from_db()
    assert (batch.status, batch.created_count) == ("confirmed", 3)


def test_a_ticked_repeat_and_a_new_proposer_for_a_typo_are_created(office, personas):
    batch = upload(office, MIXED).context["batch"]
    office.post(reverse("office:intake_confirm", args=[batch.pk]), {"person-5-0": "new", "include-3": "1"})
    assert Proposal.objects.filter(title__startswith="关于发展数字经济的建议").count() == 2
    assert Proposer.objects.get(name="蒋俏龄").kind == Proposer.Kind.DEPUTY
    assert not Proposal.objects.filter(title=SEED_TITLE, status=Proposal.Status.SUBMITTED).exists()


def test_a_typo_must_be_decided_before_confirming(office, personas):
    batch = upload(office, MIXED).context["batch"]
    response = office.post(reverse("office:intake_confirm", args=[batch.pk]), {"include-3": "1"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "第5行：请确认提案者“蒋俏龄”是系统中的哪一位，或新建" in page
    assert 'name="include-3" id="include-3" value="1" checked' in page  # the tick is kept
    assert submitted_titles() == []


def test_a_choice_that_was_not_offered_is_refused(office, personas):
    batch = upload(office, MIXED).context["batch"]
    response = office.post(reverse("office:intake_confirm", args=[batch.pk]), {"person-5-0": "999999"})
    assert "第5行：请确认提案者“蒋俏龄”" in response.content.decode()
    assert submitted_titles() == []


def test_only_the_rows_that_need_attention_can_be_shown(office, personas):
    batch = upload(office, MIXED).context["batch"]
    response = office.get(reverse("office:intake_preview", args=[batch.pk]), {"show": "attention"})
    assert [r.line for r in response.context["rows"]] == [3, 4, 5]


def test_a_file_with_a_bad_row_cannot_be_confirmed(office, personas):
    batch = upload(office, [row("关于发展数字经济的建议"), row("", "王五")]).context["batch"]
    response = office.post(reverse("office:intake_confirm", args=[batch.pk]))
    assert "第3行：案由不能为空" in response.content.decode()
    assert submitted_titles() == []
    assert IntakeBatch.objects.get().status == "pending"


# The same file twice ------------------------------------------------------------------------------


def test_the_same_file_uploaded_again_is_recognised_and_needs_a_tick(office, personas):
    data = xlsx([row("关于发展数字经济的建议")])
    first = upload(office, data=data).context["batch"]
    office.post(reverse("office:intake_confirm", args=[first.pk]))
    assert submitted_titles() == ["关于发展数字经济的建议"]

    second = upload(office, data=data, name="又一次.xlsx")
    assert "这个文件（内容完全相同）已于" in second.content.decode()
    assert "新建了1件提案" in second.content.decode()
    batch = second.context["batch"]
    # The row itself is now on file, so it is also a repeat; ticked, and the re-upload not ticked:
    refused = office.post(reverse("office:intake_confirm", args=[batch.pk]), {"include-2": "1"})
    assert "这个文件以前已经导入过：确需再次导入，请勾选“仍要再次导入”。" in refused.content.decode()
    assert len(submitted_titles()) == 1
    office.post(reverse("office:intake_confirm", args=[batch.pk]), {"include-2": "1", "reupload": "1"})
    assert len(submitted_titles()) == 2


def test_another_file_shows_no_reupload_warning(office, personas):
    first = upload(office, [row("关于发展数字经济的建议")]).context["batch"]
    office.post(reverse("office:intake_confirm", args=[first.pk]))
    response = upload(office, [row("关于发展林下经济的建议")])
    assert response.context["earlier"] is None
    assert "已于" not in response.content.decode()


# Confirm checks again -------------------------------------------------------------------------


def test_confirm_refuses_when_a_row_is_now_on_file_and_shows_it(office, personas):
    batch = upload(office, MIXED[:1] + MIXED[4:]).context["batch"]  # rows 2 and 3, both new
    workflow.log_proposal(
        session=Committee.objects.get().sessions.get(term=12, number=3),
        kind=Proposal.Kind.PROPOSAL,
        title="关于保护漓江的建议",
        proposers=[("王五", Proposer.Kind.MEMBER)],
        actor=personas["office"],
    )
    response = office.post(reverse("office:intake_confirm", args=[batch.pk]))
    page = response.content.decode()
    assert response.status_code == 409
    assert "预览之后系统中的数据有变化，请重新核对第3行后再确认。" in page
    assert "系统中已有：" in page  # the row now shows as on file
    assert submitted_titles() == ["关于保护漓江的建议"]  # only the one logged meanwhile
    # Looked at again, the clerk confirms: the new row is created, the repeat left out.
    office.post(reverse("office:intake_confirm", args=[batch.pk]))
    assert submitted_titles() == ["关于保护漓江的建议", "关于发展数字经济的建议"]


def test_a_row_refused_while_creating_undoes_every_row_and_is_named(office, personas, monkeypatch):
    batch = upload(office, [row("关于发展数字经济的建议", "赵六"), row("关于保护漓江的建议", "王五")])
    batch = batch.context["batch"]
    original = workflow.log_proposal

    def refuse_the_second(**kwargs):
        if kwargs["title"] == "关于保护漓江的建议":
            raise ValidationError("案由与已立案提案冲突")
        return original(**kwargs)

    monkeypatch.setattr(workflow, "log_proposal", refuse_the_second)
    response = office.post(reverse("office:intake_confirm", args=[batch.pk]))
    assert "第3行：案由与已立案提案冲突，整个文件未导入" in response.content.decode()
    assert submitted_titles() == []
    assert not Proposer.objects.filter(name__in=["赵六", "王五"]).exists()
    assert IntakeBatch.objects.get().status == "pending"


def test_a_batch_is_confirmed_once(office, personas):
    batch = upload(office, [row("关于发展数字经济的建议")]).context["batch"]
    office.post(reverse("office:intake_confirm", args=[batch.pk]))
    response = office.post(reverse("office:intake_confirm", args=[batch.pk]))
    assert "这批文件已处理（已导入），不能再次确认。" in response.content.decode()
    assert len(submitted_titles()) == 1


# Cancel and cleaning ----------------------------------------------------------------------------


def test_cancel_drops_the_batch_and_creates_nothing(office, personas):
    batch = upload(office, MIXED).context["batch"]
    response = office.post(reverse("office:intake_cancel", args=[batch.pk]), follow=True)
    assert "已取消导入“提案.xlsx”，没有新建任何提案。" in response.content.decode()
    assert IntakeBatch.objects.get().status == "cancelled"
    refused = office.post(reverse("office:intake_confirm", args=[batch.pk]))
    assert "这批文件已处理（已取消），不能再次确认。" in refused.content.decode()
    assert submitted_titles() == []


def test_old_unconfirmed_batches_are_cleared_by_the_next_upload(office, personas):
    old = timezone.now() - intake.STALE_AFTER - datetime.timedelta(hours=1)
    for status in IntakeBatch.Status:
        IntakeBatch.objects.create(
            committee=Committee.objects.get(),
            file_name=status,
            sha256="0" * 64,
            status=status,
            created_by=personas["office"],
            created_at=old,
        )
    upload(office, [row("关于发展数字经济的建议")])
    assert sorted(IntakeBatch.objects.values_list("file_name", flat=True)) == ["confirmed", "提案.xlsx"]


def test_the_preview_needs_the_office(client_for, personas):
    batch = IntakeBatch.objects.create(
        committee=Committee.objects.get(), file_name="a.xlsx", sha256="0" * 64, created_by=personas["office"]
    )
    assert client_for("lead").get(reverse("office:intake_preview", args=[batch.pk])).status_code == 403
    assert client_for("office").get(reverse("office:intake_preview", args=[999999])).status_code == 404


# Query counts -----------------------------------------------------------------------------------


def make_batch(office_user, count):
    rows = [
        importing.Row(
            line=n + 2,
            session_text="十二届三次",
            session=1,
            kind=Proposal.Kind.PROPOSAL,
            title=f"关于第{n}项工作的建议",
            names=[importing.Name(name=f"新人{n}", kind=Proposer.Kind.MEMBER)],
            duplicate_line=2 if n % 10 == 9 else None,
        ).as_json()
        for n in range(count)
    ]
    return IntakeBatch.objects.create(
        committee=Committee.objects.get(),
        file_name="a.xlsx",
        sha256="1" * 64,
        rows=rows,
        created_by=office_user,
    )


@pytest.mark.parametrize("count", [10, 1000])
def test_the_preview_costs_the_same_queries_for_10_and_1000_rows(
    office, personas, count, django_assert_num_queries
):
    batch = make_batch(personas["office"], count)
    # session, user, profile (office check), the batch with committee and uploader, earlier imports
    with django_assert_num_queries(5):
        response = office.get(reverse("office:intake_preview", args=[batch.pk]))
    assert response.status_code == 200
    assert len(response.context["rows"]) == count
