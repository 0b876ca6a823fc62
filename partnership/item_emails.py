"""The emails that tell an issue's followers of a comment or a status change, built from the
outbox at send time (``rpo_portal.outbox``; recorded by ``partnership.items.services``).

The builder re-reads the rows: a follower who has since been deactivated, or who no longer sees
the issue (moved off the engagement), gets nothing. Links are built from SITE_URL.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from accounts.models import User
from rpo_portal.models import OutboundEmail
from rpo_portal.outbox import NothingToSend, email_builder

from .items.selectors import partnership_item_list
from .items.services import COMMENT_EMAIL, STATUS_EMAIL
from .models import ItemComment, ItemStatusChange

SITE_NAME = "RPO Partnership Portal"


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _recipient_and_item(email: OutboundEmail):
    recipient = User.objects.select_related("organization").filter(pk=email.recipient_id).first()
    if recipient is None or not recipient.is_active or not recipient.email:
        raise NothingToSend("The follower's account no longer exists or is deactivated.")
    item = partnership_item_list(user=recipient).filter(pk=email.payload["item_id"]).first()
    if item is None:
        raise NothingToSend("The follower no longer sees this issue.")
    return recipient, item


def _message(*, subject: str, template: str, context: dict, to: User, reply_to: User | None) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"partnership/email/{template}.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to.email],
        reply_to=[reply_to.email] if reply_to is not None and reply_to.email else settings.EMAIL_REPLY_TO or None,
    )
    message.attach_alternative(render_to_string(f"partnership/email/{template}.html", context), "text/html")
    return message


@email_builder(COMMENT_EMAIL)
def _item_comment(email: OutboundEmail, *, now: datetime) -> list[EmailMultiAlternatives]:
    recipient, item = _recipient_and_item(email)
    comment = ItemComment.objects.select_related("author").filter(pk=email.payload["comment_id"]).first()
    if comment is None:
        raise NothingToSend("The comment no longer exists.")
    author = comment.author.display_name if comment.author is not None else "Someone"
    context = {
        "user": recipient,
        "item": item,
        "comment": comment,
        "author": author,
        "item_url": _absolute(reverse("partnership:issue-detail", kwargs={"pk": item.pk})),
    }
    subject = f"{author} commented on “{item.title}”"
    return [_message(subject=subject, template="item_comment", context=context, to=recipient, reply_to=comment.author)]


@email_builder(STATUS_EMAIL)
def _item_status(email: OutboundEmail, *, now: datetime) -> list[EmailMultiAlternatives]:
    recipient, item = _recipient_and_item(email)
    change = ItemStatusChange.objects.select_related("actor").filter(pk=email.payload["status_change_id"]).first()
    if change is None:
        raise NothingToSend("The status change no longer exists.")
    actor = change.actor.display_name if change.actor is not None else "Someone"
    status_label = change.get_to_status_display().lower()
    context = {
        "user": recipient,
        "item": item,
        "change": change,
        "actor": actor,
        "status_label": status_label,
        "reopened": change.to_status == "open" and change.from_status in ("resolved", "declined"),
        "item_url": _absolute(reverse("partnership:issue-detail", kwargs={"pk": item.pk})),
    }
    subject = f"“{item.title}” is {'reopened' if context['reopened'] else status_label}"
    return [_message(subject=subject, template="item_status", context=context, to=recipient, reply_to=change.actor)]
