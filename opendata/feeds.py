"""Atom and RSS feeds of newly published replies, site-wide and per department."""

import datetime
import zoneinfo

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import F
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.translation import gettext as _

from proposals.models import Department
from responses.models import Response

ITEMS = 50


def newest(replies):
    """One query: the newest replies with the proposal and department each item names."""
    return replies.select_related("proposal", "department").order_by(
        F("published_on").desc(nulls_last=True), "-pk"
    )[:ITEMS]


class RepliesFeed(Feed):
    feed_type = Rss201rev2Feed

    def title(self):
        return _("提案办理追踪：新公开的答复函")

    def description(self):
        return _("政协提案和人大建议的答复函，公开后即列入，新的在前。")

    def link(self):
        return reverse("proposals:list")

    def items(self):
        return newest(Response.objects.public())

    def item_title(self, reply):
        number = reply.proposal.number
        if number:
            return _("%(department)s答复第%(number)s号提案：%(title)s") % {
                "department": reply.department.name,
                "number": number,
                "title": reply.proposal.title,
            }
        return _("%(department)s答复：%(title)s") % {
            "department": reply.department.name,
            "title": reply.proposal.title,
        }

    def item_description(self, reply):
        return str(reply)

    def item_link(self, reply):
        return reply.get_absolute_url()

    def item_guid(self, reply):
        return f"{settings.SITE_URL}{reply.get_absolute_url()}"

    def item_guid_is_permalink(self, reply):
        return False

    def item_author_name(self, reply):
        return reply.department.name

    def item_pubdate(self, reply):
        day = reply.published_on or reply.issued_on
        if day is None:
            return None
        return datetime.datetime.combine(day, datetime.time(), tzinfo=zoneinfo.ZoneInfo(settings.TIME_ZONE))

    def item_updateddate(self, reply):
        return reply.updated_at


class RepliesAtomFeed(RepliesFeed):
    feed_type = Atom1Feed
    subtitle = RepliesFeed.description


class DepartmentRepliesFeed(RepliesFeed):
    def get_object(self, request, pk):
        return get_object_or_404(Department, pk=pk)

    def title(self, department):
        return _("%(department)s：新公开的答复函") % {"department": department.name}

    def description(self, department):
        return _("%(department)s公开的提案答复函，新的在前。") % {"department": department.name}

    def link(self, department):
        return reverse("proposals:list")

    def items(self, department):
        return newest(Response.objects.public().filter(department=department))


class DepartmentRepliesAtomFeed(DepartmentRepliesFeed):
    feed_type = Atom1Feed
    subtitle = DepartmentRepliesFeed.description
