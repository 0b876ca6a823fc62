"""Writes on issues: raise, edit, comment, move the status, follow.

Each write is one transaction. Followers are told of a comment or a status change through the
outbox (``rpo_portal.outbox``): one email per follower and event, recorded in the same transaction
under a unique key (so never twice) and sent once it commits. A status move locks the issue's row
and compares the status the actor saw, so a double submit records one change and sends nothing
more: the second is a ``Conflict`` (409 on the API, a message on the pages).

The chase of an open issue (``remind_at`` ... ``next_step_at``) comes from ``partnership.ladder``;
moving the due date or the owner restarts it, resolving or declining stops it. The reminder sweep
that walks the ladder lives with the reminder engine.

Reopening: those who run the engagement (``policies.can_reopen_issue``) may move a resolved or
declined issue back to open; it is chased again from its due date (today, if that has passed), its
resolution or reason is cleared from the issue and kept in its history.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from engagements.activity import engagement_changed
from engagements.local_dates import engagement_today
from engagements.models import Engagement, Requisition
from rpo_portal.conflicts import Conflict
from rpo_portal.outbox import outbox_enqueue

from .. import policies
from ..audit.record import audit_record_update
from ..chase import issue_chase_stop
from ..ladder import LADDER_CLEARED, issue_ladder
from ..models import ItemComment, ItemFollower, ItemStatusChange, PartnershipItem
from .selectors import can_see_item_of, partnership_item_list

Status = PartnershipItem.Status

COMMENT_EMAIL = "partnership_item_comment"
STATUS_EMAIL = "partnership_item_status"

# The same words sent again by the same person within this time are the same write (a double click,
# Back and send again): nothing new is recorded and nobody is told twice.
REPEAT_WINDOW = timedelta(minutes=10)

RESOLUTION_REQUIRED = "Say what was changed to resolve it."
REASON_REQUIRED = "Say why it is declined, so the other side knows where it stands."

# Where each status may go (the same status again is a repeat: a Conflict, not a move).
TRANSITIONS = {
    Status.OPEN: {Status.IN_PROGRESS, Status.RESOLVED, Status.DECLINED},
    Status.IN_PROGRESS: {Status.OPEN, Status.RESOLVED, Status.DECLINED},
    Status.RESOLVED: {Status.OPEN},
    Status.DECLINED: {Status.OPEN},
}
EDITABLE_FIELDS = ("title", "what_happened", "impact", "proposed_next_step", "owner", "due_on")
REQUIRED_TEXTS = {
    "title": "Give the issue a short title.",
    "what_happened": "Say what happened.",
    "proposed_next_step": "Propose a next step: what would help?",
}


# --- Checks shared by raise and edit ---------------------------------------------------------------


def _check_owner(owner: User | None, *, engagement: Engagement, requisition: Requisition | None, errors: dict) -> None:
    if owner is None:
        errors["owner"] = "Choose who owns the next step."
    elif not owner.is_active or owner.organization_id not in (engagement.provider_id, engagement.client_id):
        errors["owner"] = "Choose an active person of the provider or the client of this engagement."
    elif not can_see_item_of(owner, engagement=engagement, requisition=requisition):
        errors["owner"] = (
            f"{owner.display_name} would not see this issue: choose someone who works on this "
            f"{'requisition' if requisition is not None else 'engagement'}."
        )


def _check_due_on(due_on: date | None, *, engagement: Engagement, errors: dict, previous: date | None = None) -> None:
    if due_on is None:
        errors["due_on"] = "Choose the date the next step is due."
        return
    today = engagement_today(engagement)
    if due_on < today and due_on != previous:
        errors["due_on"] = f"Choose today or a later date (today is {today:%-d %b %Y} for this engagement)."


def _check_texts(values: dict, errors: dict) -> None:
    for field, message in REQUIRED_TEXTS.items():
        if field in values and not (values[field] or "").strip():
            errors[field] = message


def _follow(item: PartnershipItem, *users: User | None) -> None:
    for user in {user.pk: user for user in users if user is not None}.values():
        ItemFollower.objects.get_or_create(item=item, user=user)


# --- Raise, edit ----------------------------------------------------------------------------------


def issue_raise(
    *,
    actor: User,
    engagement: Engagement,
    title: str,
    what_happened: str,
    impact: str = "",
    proposed_next_step: str,
    owner: User | None,
    due_on: date | None,
    requisition: Requisition | None = None,
) -> PartnershipItem:
    """Raise an issue about ``engagement`` (or one of its requisitions). The raiser and the owner
    follow it; its chase starts from ``due_on``. The same issue sent twice within a few minutes is
    raised once (the first is returned)."""
    errors: dict[str, str] = {}
    if requisition is not None and (
        requisition.engagement_id != engagement.pk
        or not partnership_requisition_visible(actor=actor, requisition=requisition)
    ):
        errors["requisition"] = "Choose a requisition of this engagement."
        requisition = None
    if not errors and not policies.can_raise_issue(actor, engagement, requisition):
        raise PermissionDenied(policies.MAY_NOT_RAISE_ISSUE)
    values = {"title": title, "what_happened": what_happened, "proposed_next_step": proposed_next_step}
    _check_texts(values, errors)
    _check_owner(owner, engagement=engagement, requisition=requisition, errors=errors)
    _check_due_on(due_on, engagement=engagement, errors=errors)
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    with transaction.atomic():
        Engagement.objects.select_for_update().filter(pk=engagement.pk).first()  # one raise at a time
        repeat = PartnershipItem.objects.filter(
            engagement_id=engagement.pk,
            kind=PartnershipItem.Kind.ISSUE,
            raised_by_id=actor.pk,
            title=title.strip(),
            what_happened=what_happened.strip(),
            created_at__gte=now - REPEAT_WINDOW,
        ).first()
        if repeat is not None:
            return repeat
        item = PartnershipItem.objects.create(
            kind=PartnershipItem.Kind.ISSUE,
            engagement=engagement,
            requisition=requisition,
            title=title.strip(),
            what_happened=what_happened.strip(),
            impact=(impact or "").strip(),
            proposed_next_step=proposed_next_step.strip(),
            owner=owner,
            due_on=due_on,
            status=Status.OPEN,
            raised_by=actor,
            created_at=now,
            updated_at=now,
            **issue_ladder(engagement=engagement, due_on=due_on),
        )
        _follow(item, actor, owner)
        engagement_changed(engagement.pk)
    return item


def partnership_requisition_visible(*, actor: User, requisition: Requisition) -> bool:
    from engagements.selectors import requisition_list

    return requisition_list(user=actor).filter(pk=requisition.pk).exists()


def _locked(item: PartnershipItem) -> PartnershipItem:
    return (
        PartnershipItem.objects.select_for_update(of=("self",))
        .select_related("engagement", "requisition", "owner")
        .get(pk=item.pk)
    )


def issue_update(*, actor: User, item: PartnershipItem, **changes) -> PartnershipItem:
    """Edit an issue's title, texts, owner or due date (the fields given). A new owner follows it;
    a new owner or due date restarts its chase from the due date (while it is chased)."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {', '.join(sorted(unknown))}")
    if not item.is_issue:
        raise Conflict({"non_field_errors": "Only an issue can be edited here."})
    if not policies.can_change_issue(actor, item):
        raise PermissionDenied(policies.MAY_NOT_CHANGE_ISSUE)
    with transaction.atomic():
        current = _locked(item)
        current.engagement = item.engagement  # with its prefetched account managers
        errors: dict[str, str] = {}
        _check_texts(changes, errors)
        if "owner" in changes and changes["owner"] != current.owner:
            _check_owner(
                changes["owner"], engagement=current.engagement, requisition=current.requisition, errors=errors
            )
        if "due_on" in changes:
            _check_due_on(changes["due_on"], engagement=current.engagement, errors=errors, previous=current.due_on)
        if errors:
            raise ValidationError(errors)
        changed = [
            field
            for field, value in changes.items()
            if (value.strip() if isinstance(value, str) else value) != getattr(current, field)
        ]
        for field in changed:
            value = changes[field]
            setattr(current, field, value.strip() if isinstance(value, str) else value)
        if not changed:
            return current
        fields = list(changed)
        if current.is_chased and {"owner", "due_on"} & set(changed):
            for field, value in issue_ladder(engagement=current.engagement, due_on=current.due_on).items():
                setattr(current, field, value)
                fields.append(field)
        current.updated_at = timezone.now()
        current.save(update_fields=[*dict.fromkeys(fields), "updated_at"])
        if "owner" in changed:
            _follow(current, current.owner)
        engagement_changed(current.engagement_id)
    return current


# --- Comments and status ---------------------------------------------------------------------------


def _tell_followers(item: PartnershipItem, *, actor: User, kind: str, key_prefix: str, payload: dict) -> int:
    """Record one email per active follower (the actor aside), under a key per event and follower."""
    told = 0
    followers = ItemFollower.objects.filter(item_id=item.pk, user__is_active=True).exclude(user_id=actor.pk)
    for follower in followers.select_related("user").order_by("id"):
        email = outbox_enqueue(
            kind=kind, key=f"{key_prefix}:{follower.user_id}", payload=payload, recipient=follower.user
        )
        told += email is not None
    return told


def issue_comment(*, actor: User, item: PartnershipItem, body: str) -> ItemComment:
    """Comment on an issue or a win the actor sees; the commenter follows it from then on, and
    every other follower is told once. The same words sent twice within a few minutes are one
    comment."""
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": "Write a comment."})
    if not partnership_item_list(user=actor).filter(pk=item.pk).exists():
        raise PermissionDenied("You cannot see this issue.")
    now = timezone.now()
    with transaction.atomic():
        _locked(item)
        repeat = ItemComment.objects.filter(
            item_id=item.pk, author_id=actor.pk, body=body, created_at__gte=now - REPEAT_WINDOW
        ).first()
        if repeat is not None:
            return repeat
        comment = ItemComment.objects.create(item=item, author=actor, body=body, created_at=now)
        _follow(item, actor)
        _tell_followers(
            item,
            actor=actor,
            kind=COMMENT_EMAIL,
            key_prefix=f"item-comment:{comment.pk}",
            payload={"item_id": item.pk, "comment_id": comment.pk},
        )
    return comment


def issue_set_status(
    *,
    actor: User,
    item: PartnershipItem,
    status: str,
    note: str = "",
    expected_status: str | None = None,
    due_on: date | None = None,
) -> ItemStatusChange:
    """Move an issue to ``status``: in progress; resolved (``note`` = the resolution, required);
    declined (``note`` = the reason, required); back to open (reopening a resolved or declined
    issue: those who run the engagement; ``due_on`` a new due date, else the old one or today).

    ``expected_status``: the status the actor saw; if it moved since, nothing happens (Conflict).
    Moving to the status the issue already has is a Conflict too: a double submit records one
    change and tells the followers once."""
    note = (note or "").strip()
    if status not in Status.values:
        raise ValidationError({"status": f"Choose one of: {', '.join(Status.values)}."})
    if status == Status.RESOLVED and not note:
        raise ValidationError({"resolution": RESOLUTION_REQUIRED})
    if status == Status.DECLINED and not note:
        raise ValidationError({"reason": REASON_REQUIRED})
    if not item.is_issue:
        raise Conflict({"non_field_errors": "A win has no status to change."})
    now = timezone.now()
    with transaction.atomic():
        current = _locked(item)
        current.engagement = item.engagement
        reopening = status == Status.OPEN and current.status in (Status.RESOLVED, Status.DECLINED)
        allowed = policies.can_reopen_issue(actor, current) if reopening else policies.can_change_issue(actor, current)
        if not allowed:
            raise PermissionDenied(policies.MAY_NOT_REOPEN_ISSUE if reopening else policies.MAY_NOT_CHANGE_ISSUE)
        if current.status == status:
            raise Conflict({"non_field_errors": f"This issue is already {current.get_status_display().lower()}."})
        if expected_status and current.status != expected_status:
            raise Conflict(
                {
                    "non_field_errors": f"This issue was moved to {current.get_status_display().lower()} "
                    "since you opened it: nothing was changed."
                }
            )
        if status not in TRANSITIONS[current.status]:
            raise Conflict(
                {"non_field_errors": f"A {current.get_status_display().lower()} issue cannot be moved to that status."}
            )
        fields = ["status", "updated_at"]
        if status in (Status.RESOLVED, Status.DECLINED):
            current.closed_at = now
            fields.append("closed_at")
            if status == Status.RESOLVED:
                current.resolution = note
                fields.append("resolution")
            else:
                current.decline_reason = note
                fields.append("decline_reason")
            for field, value in LADDER_CLEARED.items():
                setattr(current, field, value)
                fields.append(field)
        elif reopening:
            today = engagement_today(current.engagement, now)
            if due_on is not None and due_on < today:
                raise ValidationError({"due_on": f"Choose today or a later date (today is {today:%-d %b %Y})."})
            current.due_on = due_on or max(current.due_on, today)
            current.closed_at = None
            current.resolution = ""
            current.decline_reason = ""
            fields += ["due_on", "closed_at", "resolution", "decline_reason"]
            for field, value in issue_ladder(engagement=current.engagement, due_on=current.due_on).items():
                setattr(current, field, value)
                fields.append(field)
        previous = current.status
        current.status = status
        current.updated_at = now
        try:
            current.save(update_fields=fields)
        except IntegrityError as error:  # the database's own guard (a resolution to resolve)
            raise ValidationError({"resolution": RESOLUTION_REQUIRED}) from error
        if status in (Status.RESOLVED, Status.DECLINED):
            issue_chase_stop(item=current)  # reminders not yet sent (or held for a digest) are skipped
        change = ItemStatusChange.objects.create(
            item=current, actor=actor, from_status=previous, to_status=status, note=note, created_at=now
        )
        _tell_followers(
            current,
            actor=actor,
            kind=STATUS_EMAIL,
            key_prefix=f"item-status:{change.pk}",
            payload={"item_id": current.pk, "status_change_id": change.pk},
        )
        engagement_changed(current.engagement_id)
    for field in fields:
        setattr(item, field, getattr(current, field))
    return change


def issue_resolve(*, actor: User, item: PartnershipItem, resolution: str, expected_status: str | None = None):
    return issue_set_status(
        actor=actor, item=item, status=Status.RESOLVED, note=resolution, expected_status=expected_status
    )


# --- Following -------------------------------------------------------------------------------------


def item_follow(*, user: User, item: PartnershipItem) -> bool:
    """Follow an item the user sees; True if they did not already (the unique constraint decides)."""
    if not partnership_item_list(user=user).filter(pk=item.pk).exists():
        raise PermissionDenied("You cannot see this issue.")
    try:
        with transaction.atomic():
            _, created = ItemFollower.objects.get_or_create(item_id=item.pk, user=user)
    except IntegrityError:  # followed at the same moment by another request
        return False
    return created


def item_unfollow(*, user: User, item: PartnershipItem) -> bool:
    """Stop following; True if they were following."""
    deleted, _ = ItemFollower.objects.filter(item_id=item.pk, user_id=user.pk).delete()
    return bool(deleted)


def issues_hand_over(*, user: User, to: User, at=None) -> int:
    """The open issues ``user`` owns are owned by ``to`` from now on (``user`` is being
    deactivated: ``accounts.services.user_deactivate``, which checked who ``to`` may be), as
    ``feedback.services.requests_hand_over`` does for requests: each keeps its due date and ladder,
    the next level the sweep records goes to ``to``, and the levels recorded but not sent yet (the
    escalation aside, which goes to the side's lead) are re-addressed to ``to``. ``to`` follows
    them. Returns how many issues ``user`` owned."""
    from feedback.models import Reminder

    at = at or timezone.now()
    issues = list(
        PartnershipItem.objects.select_for_update()
        .filter(kind=PartnershipItem.Kind.ISSUE, owner=user, status__in=PartnershipItem.CHASED_STATUSES)
        .order_by("pk")
    )
    if not issues:
        return 0
    ids = [issue.pk for issue in issues]
    PartnershipItem.objects.filter(pk__in=ids).update(owner=to, updated_at=at)
    for issue in issues:  # an update() sends no signal: the audit trail is told of each new owner
        audit_record_update(issue, {"owner": (issue.owner_id, to.pk)})
    Reminder.objects.filter(
        partnership_item_id__in=ids, status__in=[Reminder.Status.PENDING, Reminder.Status.IN_DIGEST]
    ).exclude(level=Reminder.Level.ESCALATION).update(recipient=to, status=Reminder.Status.PENDING, dispatched_at=None)
    ItemFollower.objects.bulk_create(
        [ItemFollower(item_id=item_id, user=to, created_at=at) for item_id in ids], ignore_conflicts=True
    )
    engagement_changed(*{issue.engagement_id for issue in issues})
    return len(issues)
