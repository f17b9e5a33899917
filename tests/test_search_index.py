"""The search index stays current on save and delete, and rebuild_search_index refills it."""

import pytest
from django.core.management import call_command

from proposals.models import Proposal
from responses.models import Response
from search.api import filter_proposals
from search.bigrams import Query, bigrams
from search.models import SearchDocument
from tests.factories import make_commitment, make_item, make_proposal, make_response


def found(query):
    """Titles of published proposals the search page would list for `query`."""
    from search import api

    return sorted(hit.title for hit in api.search(Query(query)).hits)


@pytest.mark.django_db
class TestKeptCurrent:
    def test_a_new_title_is_found_by_its_new_words_and_not_by_the_old(self):
        proposal = make_proposal(title="关于发展氢能产业的建议")
        assert found("氢能") == ["关于发展氢能产业的建议"]

        proposal.title = "关于发展海上风电的建议"
        proposal.save()

        assert found("风电") == ["关于发展海上风电的建议"]
        assert found("氢能") == []

    def test_unpublishing_a_proposal_hides_it(self):
        proposal = make_proposal(title="关于氢能的建议")

        proposal.is_published = False
        proposal.save()

        assert found("氢能") == []
        assert SearchDocument.objects.get(proposal=proposal).is_published is False

    def test_reply_items_and_commitments_are_indexed_when_saved_and_forgotten_when_deleted(self):
        proposal = make_proposal(title="关于港口的建议")
        item = make_item(make_response(proposal), 1, paragraphs="已完成调研。\n下一步，建设冷链物流园。")
        assert found("冷链") == ["关于港口的建议"]

        item.paragraphs = "已完成调研。\n下一步，推广氢能叉车。"
        item.save()
        assert found("冷链") == [] and found("叉车") == ["关于港口的建议"]

        item.delete()
        assert found("叉车") == []

    def test_a_commitment_is_indexed_on_save(self):
        proposal = make_proposal(title="关于港口的建议")
        item = make_item(make_response(proposal), 1, paragraphs="下一步，建设冷链物流园。")
        commitment = make_commitment(item, text="建设冷链物流园")
        SearchDocument.objects.filter(proposal=proposal).update(body="")

        commitment.save()

        assert "冷链物流园" in SearchDocument.objects.get(proposal=proposal).body

    def test_publishing_a_reply_indexes_it_and_withdrawing_it_unindexes_it(self):
        proposal = make_proposal(title="关于港口的建议")
        reply = make_response(proposal, status=Response.Status.ISSUED)
        make_item(reply, 1, paragraphs="下一步，推广氢能叉车。")
        assert found("叉车") == []

        reply.status = Response.Status.PUBLISHED
        reply.save()
        assert found("叉车") == ["关于港口的建议"]

        reply.disclosure = Response.Disclosure.ON_REQUEST
        reply.save()
        assert found("叉车") == []

    def test_a_deleted_proposal_leaves_no_document(self):
        proposal = make_proposal(title="关于氢能的建议")

        proposal.delete()

        assert not SearchDocument.objects.exists()

    def test_saving_a_proposal_costs_three_queries_for_the_index(self, django_assert_num_queries):
        proposal = make_proposal(title="关于氢能的建议")
        proposal.title = "关于风电的建议"
        # the UPDATE and its history row; then the index: public items, commitments, one upsert; and
        # as the text changed, the upsert of its similarity bands (search/bands.py)
        with django_assert_num_queries(6):
            proposal.save()
        proposal.is_published = False
        # the text unchanged: no band is written
        with django_assert_num_queries(5):
            proposal.save()


@pytest.mark.django_db
class TestRebuild:
    def test_the_command_rebuilds_every_document_in_batches(self, capsys):
        kept = make_proposal(title="关于氢能的建议")
        make_item(make_response(kept), 1, paragraphs="下一步，推广氢能叉车。")
        make_proposal(title="关于内部事项的建议", is_published=False)
        Proposal.objects.filter(pk=kept.pk).update(title="关于风电的建议")  # no signal: index stale
        SearchDocument.objects.filter(is_published=False).delete()
        assert found("风电") == []

        call_command("rebuild_search_index", batch=1, verbosity=0)

        assert SearchDocument.objects.count() == 2
        assert found("风电") == ["关于风电的建议"] and found("叉车") == ["关于风电的建议"]
        assert found("内部") == []

    def test_bulk_rebuild_of_some_proposals(self):
        proposal = make_proposal(title="关于氢能的建议")
        Proposal.objects.filter(pk=proposal.pk).update(title="关于风电的建议")

        SearchDocument.objects.rebuild([proposal.pk])

        assert found("风电") == ["关于风电的建议"]

    def test_the_command_refuses_a_non_positive_batch(self):
        from django.core.management import CommandError

        with pytest.raises(CommandError):
            call_command("rebuild_search_index", batch=0, verbosity=0)

    def test_the_command_reports_what_it_did(self):
        from io import StringIO

        make_proposal(title="关于氢能的建议")
        out = StringIO()

        call_command("rebuild_search_index", stdout=out, verbosity=0)

        assert "已重建 1 件提案的检索文档" in out.getvalue()


@pytest.mark.django_db
class TestFilterProposals:
    def test_it_filters_any_queryset_through_the_index(self):
        make_proposal(title="关于氢能的建议")
        hidden = make_proposal(title="关于氢能的内部建议", is_published=False)
        make_proposal(title="关于风电的建议")

        assert sorted(p.title for p in filter_proposals(Proposal.objects.all(), "氢能")) == [
            "关于氢能的内部建议",
            "关于氢能的建议",
        ]
        assert list(filter_proposals(Proposal.objects.published(), "氢能，内部")) == []
        assert list(filter_proposals(Proposal.objects.all(), "氢能，内部")) == [hidden]

    def test_an_empty_query_filters_nothing_and_single_characters_match_number_and_title(self):
        make_proposal(title="关于水利的建议")
        make_proposal(title="关于风电的建议", body="水")

        assert filter_proposals(Proposal.objects.all(), " ").count() == 2
        assert [p.title for p in filter_proposals(Proposal.objects.all(), "水")] == ["关于水利的建议"]

    def test_a_query_too_long_to_search_matches_nothing(self):
        make_proposal(title="关于氢能和风电的建议")
        # 100 characters are searched, 101 are refused.
        assert filter_proposals(Proposal.objects.all(), "氢能" + " " * 96 + "风电").count() == 1
        assert filter_proposals(Proposal.objects.all(), "氢能" + " " * 97 + "风电").count() == 0

    def test_the_number_is_matched(self, seed_letter):
        assert [p.number for p in filter_proposals(Proposal.objects.all(), "20200287")] == ["20200287"]


class TestBigrams:
    def test_runs_of_chinese_letters_and_digits_give_lowercase_bigrams(self):
        assert bigrams("发展5G基站，") == {"发展", "展5", "5g", "g基", "基站"}
        assert bigrams("氢", "能") == set()

    def test_a_query_is_split_at_spaces_and_punctuation_without_repeats(self):
        assert Query(" 氢能，石墨烯 氢能 AI ai").terms == ["氢能", "石墨烯", "AI"]
        assert Query("氢能 车").tokens == {"氢能"}
