"""提案线索: anyone suggests a topic (rate-limited per address), the office screens it, published
leads are listed, and a member adopts one as the start of a draft."""

import pytest
from django.core.cache import caches
from django.urls import reverse

from proposals.leads import ProposalLead
from proposals.models import Proposal, Proposer

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def clean_counters():
    caches["ratelimit"].clear()
    yield
    caches["ratelimit"].clear()


def suggest(client, title="关于社区食堂建设的线索", address="203.0.113.7", **extra):
    data = {"title": title, "description": "老年人吃饭难，社区食堂少。", "contact": "13800001111", **extra}
    return client.post(reverse("leads:new"), data, REMOTE_ADDR=address)


def published(title="关于老旧小区加装电梯的线索"):
    return ProposalLead.objects.create(
        title=title,
        description="加装电梯审批慢。",
        contact="王先生 13900000000",
        status=ProposalLead.Status.PUBLISHED,
    )


class TestSuggesting:
    def test_anyone_suggests_a_lead_which_waits_for_screening(self, client):
        response = suggest(client)
        assert response.status_code == 302 and response["Location"] == reverse("leads:list")
        lead = ProposalLead.objects.get()
        assert lead.status == ProposalLead.Status.PENDING
        assert "关于社区食堂建设的线索" not in client.get(reverse("leads:list")).content.decode()
        assert client.get(reverse("leads:detail", args=[lead.pk])).status_code == 404

    def test_a_missing_title_is_an_error_next_to_it_and_the_text_is_kept(self, client):
        response = suggest(client, title="")
        assert response.status_code == 200
        body = response.content.decode()
        assert "该字段是必填项。" in body and "老年人吃饭难，社区食堂少。" in body
        assert not ProposalLead.objects.exists()

    def test_over_the_limit_a_429_keeps_what_was_typed(self, client, settings):
        settings.LEAD_RATE_PER_ADDRESS = "2/h"
        assert suggest(client, "线索一").status_code == 302
        assert suggest(client, "线索二").status_code == 302
        response = suggest(client, "线索三")
        assert response.status_code == 429
        body = response.content.decode()
        assert "提交过于频繁，请一小时后再试" in body
        assert "线索三" in body and "老年人吃饭难，社区食堂少。" in body
        assert ProposalLead.objects.count() == 2
        # Another address is not affected.
        assert suggest(client, "线索四", address="198.51.100.9").status_code == 302

    def test_a_form_error_does_not_count_against_the_limit(self, client, settings):
        settings.LEAD_RATE_PER_ADDRESS = "1/h"
        assert suggest(client, title="").status_code == 200
        assert suggest(client).status_code == 302


class TestScreening:
    def test_the_office_sees_pending_leads_with_their_contact(self, office, client):
        suggest(client)
        page = office.get(reverse("leads:screening")).content.decode()
        assert "关于社区食堂建设的线索" in page and "13800001111" in page

    def test_publishing_lists_the_lead_without_its_contact(self, office, client, personas):
        suggest(client)
        lead = ProposalLead.objects.get()
        response = office.post(
            reverse("leads:screen", args=[lead.pk]), {f"lead-{lead.pk}-decision": "publish"}
        )
        assert response.status_code == 302
        lead.refresh_from_db()
        assert lead.status == ProposalLead.Status.PUBLISHED and lead.screened_by == personas["office"]
        listing = client.get(reverse("leads:list")).content.decode()
        detail = client.get(reverse("leads:detail", args=[lead.pk])).content.decode()
        assert "关于社区食堂建设的线索" in listing and "老年人吃饭难" in detail
        assert "13800001111" not in listing + detail

    def test_rejecting_needs_a_reason_shown_next_to_the_field(self, office, client):
        suggest(client)
        lead = ProposalLead.objects.get()
        url = reverse("leads:screen", args=[lead.pk])
        response = office.post(url, {f"lead-{lead.pk}-decision": "reject", f"lead-{lead.pk}-reason": " "})
        assert response.status_code == 400
        assert "不采用时请填写理由。" in response.content.decode()
        lead.refresh_from_db()
        assert lead.status == ProposalLead.Status.PENDING
        office.post(url, {f"lead-{lead.pk}-decision": "reject", f"lead-{lead.pk}-reason": "涉及个人诉求"})
        lead.refresh_from_db()
        assert (lead.status, lead.reason) == (ProposalLead.Status.REJECTED, "涉及个人诉求")
        assert client.get(reverse("leads:detail", args=[lead.pk])).status_code == 404

    def test_a_lead_is_screened_once(self, office):
        lead = published()
        response = office.post(
            reverse("leads:screen", args=[lead.pk]),
            {f"lead-{lead.pk}-decision": "reject", f"lead-{lead.pk}-reason": "重复"},
            follow=True,
        )
        assert "此线索已筛选过。" in response.content.decode()
        lead.refresh_from_db()
        assert lead.status == ProposalLead.Status.PUBLISHED


class TestAdopting:
    def test_a_member_adopts_a_published_lead_as_a_draft(self, client_for, personas):
        lead = published()
        response = client_for("proposer").post(reverse("leads:adopt", args=[lead.pk]), follow=True)
        draft = Proposal.objects.get(lead=lead)
        assert response.redirect_chain[-1][0] == reverse("members:draft_edit", args=[draft.pk])
        assert "已根据线索“关于老旧小区加装电梯的线索”建立提案草稿" in response.content.decode()
        assert draft.status == Proposal.Status.DRAFT
        assert (draft.title, draft.body) == (lead.title, lead.description)
        links = list(draft.proposer_links.all())
        assert [link.proposer for link in links] == [Proposer.objects.get(name="蒋俏玲")]
        assert draft.created_by == personas["proposer"]

    def test_the_lead_page_lists_only_filed_proposals_from_it(self, client_for, client, personas):
        lead = published()
        client_for("proposer").post(reverse("leads:adopt", args=[lead.pk]))
        draft = Proposal.objects.get(lead=lead)
        page = client.get(reverse("leads:detail", args=[lead.pk])).content.decode()
        assert "尚无已提交的提案。" in page
        draft.move_to(Proposal.Status.SUBMITTED, actor=personas["proposer"])
        page = client.get(reverse("leads:detail", args=[lead.pk])).content.decode()
        assert "尚无已提交的提案。" not in page and lead.title in page.split("由此线索形成的提案")[1]
        assert "已形成1件提案" in client.get(reverse("leads:list")).content.decode()

    def test_only_members_see_the_adopt_button(self, client_for, client):
        lead = published()
        url = reverse("leads:detail", args=[lead.pk])
        assert "采用此线索起草提案" in client_for("other_delegate").get(url).content.decode()
        assert "采用此线索起草提案" not in client.get(url).content.decode()
        assert "采用此线索起草提案" not in client_for("lead").get(url).content.decode()

    def test_a_pending_lead_cannot_be_adopted(self, client_for):
        lead = ProposalLead.objects.create(title="待筛选线索", description="简述")
        assert client_for("proposer").post(reverse("leads:adopt", args=[lead.pk])).status_code == 404
        assert not Proposal.objects.filter(lead=lead).exists()


class TestQueryCounts:
    @pytest.mark.parametrize("count", [1, 25])
    def test_the_list_costs_the_same_whatever_the_number_of_leads(
        self, client, django_assert_num_queries, count
    ):
        for n in range(count):
            published(f"线索{n}")
        # count; the page of leads with their filed proposals counted
        with django_assert_num_queries(2):
            assert client.get(reverse("leads:list")).status_code == 200

    @pytest.mark.parametrize("count", [1, 10])
    def test_the_lead_page_costs_the_same_whatever_the_number_of_proposals(
        self, client, django_assert_num_queries, count, seed_letter
    ):
        lead = published()
        for n in range(count):
            Proposal.objects.create(
                session=seed_letter.proposal.session,
                title=f"提案{n}",
                status=Proposal.Status.SUBMITTED,
                lead=lead,
            )
        # the lead; its filed proposals with their sessions
        with django_assert_num_queries(2):
            page = client.get(reverse("leads:detail", args=[lead.pk])).content.decode()
        assert f"提案{count - 1}" in page

    def test_the_screening_page_costs_the_same_whatever_the_queue(
        self, office, client, django_assert_num_queries
    ):
        for n in range(12):
            ProposalLead.objects.create(title=f"线索{n}", description="简述")
        # session, user, profile; the pending leads
        with django_assert_num_queries(4):
            assert office.get(reverse("leads:screening")).status_code == 200
