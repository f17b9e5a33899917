"""回头看 tasks on the office's overdue board (responses/views/office.py)."""

import datetime

from .models import FollowUpTask


def late_tasks(today, within):
    """Units that have not reported to an open round due within `within` days or already past due,
    soonest deadline first. One query: task, round and unit joined."""
    tasks = list(
        FollowUpTask.objects.due_by(today + datetime.timedelta(days=within))
        .select_related("round", "department")
        .order_by("round__deadline", "department__name", "pk")
    )
    for task in tasks:
        task.days_overdue = (today - task.round.deadline).days
        task.days_left = -task.days_overdue
    return tasks
