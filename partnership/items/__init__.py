"""Issues and wins of an engagement: selectors (the one access scope) and services (the writes).
Wins are recorded by their own services; here they are read."""

from .selectors import (
    ItemFilters,
    can_see_item_of,
    engagement_item_log,
    engagement_people,
    item_followers,
    item_owner_choices,
    item_timeline,
    open_issue_count,
    open_issues_for_engagement,
    partnership_item_list,
)
from .services import (
    COMMENT_EMAIL,
    RESOLUTION_REQUIRED,
    STATUS_EMAIL,
    issue_comment,
    issue_raise,
    issue_resolve,
    issue_set_status,
    issue_update,
    issues_hand_over,
    item_follow,
    item_unfollow,
)

__all__ = [
    "COMMENT_EMAIL",
    "RESOLUTION_REQUIRED",
    "STATUS_EMAIL",
    "ItemFilters",
    "can_see_item_of",
    "engagement_item_log",
    "engagement_people",
    "issue_comment",
    "issue_raise",
    "issue_resolve",
    "issue_set_status",
    "issue_update",
    "issues_hand_over",
    "item_follow",
    "item_followers",
    "item_owner_choices",
    "item_timeline",
    "item_unfollow",
    "open_issue_count",
    "open_issues_for_engagement",
    "partnership_item_list",
]
