"""The emails of wins, built by the outbox worker when they are sent (``rpo_portal.outbox``):

- ``partnership.win``: "Thank you" to a person thanked in a win, or, to their manager, the news
  that their people were thanked (``wins.win_record`` records one per win and person);
- ``partnership.weekly_summary``: the week that was, for an engagement's account managers and the
  client's admins (``weekly_summary.weekly_summaries_enqueue``).

Plain text and HTML (templates/partnership/email/), from ``DEFAULT_FROM_EMAIL``, times in the
recipient's zone. The tone is a partner's: thanks and celebration, never a grade.
"""

from __future__ import annotations

from datetime import date, datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import dateformat, timezone

from accounts.models import User
from engagements.models import Engagement
from rpo_portal.models import OutboundEmail
from rpo_portal.outbox import NothingToSend, email_builder

from .models import PartnershipItem
from .suggested_wins import hours_phrase
from .weekly_summary import WEEKLY_SUMMARY_EMAIL, summary_recipients_q, weekly_summary
from .wins import WIN_EMAIL, side_of


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _site_domain() -> str:
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def _names(people) -> str:
    names = [person.display_name for person in people]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _message(template: str, context: dict, *, subject: str, recipient: User, message_id: str) -> EmailMultiAlternatives:
    zone = recipient.zone
    context = {
        **context,
        "recipient_name": recipient.display_name,
        "site_url": settings.SITE_URL.rstrip("/"),
        "zone_name": str(zone),
    }
    with timezone.override(zone):
        text = render_to_string(f"partnership/email/{template}.txt", context)
        html = render_to_string(f"partnership/email/{template}.html", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[recipient.email],
        reply_to=list(settings.EMAIL_REPLY_TO) or None,
        headers={"Message-ID": f"<{message_id}@{_site_domain()}>"},
    )
    message.attach_alternative(html, "text/html")
    return message


def _recipient(user_id: int) -> User:
    user = User.objects.select_related("organization").filter(pk=user_id).first()
    if user is None or not user.is_active or not user.email:
        raise NothingToSend("The person no longer has an active account.")
    return user


# --- A win ----------------------------------------------------------------------------------------


@email_builder(WIN_EMAIL)
def _win(email: OutboundEmail, *, now: datetime) -> list[EmailMultiAlternatives]:
    win = (
        PartnershipItem.objects.select_related("engagement__provider", "engagement__client", "raised_by")
        .prefetch_related("thanked")
        .filter(pk=email.payload["win_id"], kind=PartnershipItem.Kind.WIN)
        .first()
    )
    if win is None:
        raise NothingToSend("The win no longer exists.")
    recipient = _recipient(email.payload["user_id"])
    thanked = sorted(win.thanked.all(), key=lambda person: (person.full_name, person.email))
    engagement = win.engagement
    recorded_by = win.raised_by.display_name if win.raised_by is not None else "Your partners"
    context = {
        "win": win,
        "engagement": engagement,
        "recorded_by": recorded_by,
        "thanked_names": _names(thanked),
        "engagement_url": _absolute(reverse("partnership:engagement-detail", kwargs={"pk": engagement.pk})),
        "other_side": engagement.client.name
        if side_of(recipient, engagement) == "provider"
        else engagement.provider.name,
    }
    if email.payload.get("as") == "manager":
        people = [person for person in thanked if person.pk in set(email.payload.get("people_ids", []))]
        if not people:
            raise NothingToSend("None of their people is thanked in this win any longer.")
        context["people_names"] = _names(people)
        return [
            _message(
                "win_manager",
                context,
                subject=f"{context['people_names']} thanked on {engagement.name}: {win.title}",
                recipient=recipient,
                message_id=f"win-{win.pk}-{recipient.pk}",
            )
        ]
    if recipient not in thanked:
        raise NothingToSend("They are no longer thanked in this win.")
    return [
        _message(
            "win_thanks",
            context,
            subject=f"Thank you, from {recorded_by}: {win.title}",
            recipient=recipient,
            message_id=f"win-{win.pk}-{recipient.pk}",
        )
    ]


# --- The weekly summary ---------------------------------------------------------------------------


def _day(value: date) -> str:
    return dateformat.format(value, "D j M")


@email_builder(WEEKLY_SUMMARY_EMAIL)
def _weekly_summary(email: OutboundEmail, *, now: datetime) -> list[EmailMultiAlternatives]:
    engagement = (
        Engagement.objects.select_related("provider", "client").filter(pk=email.payload["engagement_id"]).first()
    )
    if engagement is None or engagement.status == Engagement.Status.ENDED:
        raise NothingToSend("The engagement has ended.")
    recipient = _recipient(email.payload["user_id"])
    if not User.objects.filter(summary_recipients_q(engagement), pk=recipient.pk).exists():
        raise NothingToSend("They are no longer an account manager or client admin of this engagement.")
    summary = weekly_summary(engagement=engagement, week_start=date.fromisoformat(email.payload["week_start"]))
    week = f"{_day(summary.week_start)} – {_day(summary.week_end)}"
    context = {
        "engagement": engagement,
        "summary": summary,
        "week": week,
        "fastest_time": hours_phrase(summary.fastest.median_hours) if summary.fastest else "",
        "wins": [{"win": win, "thanked": _names(win.thanked.all())} for win in summary.wins],
        "engagement_url": _absolute(reverse("partnership:engagement-detail", kwargs={"pk": engagement.pk})),
    }
    if summary.quiet:
        subject = f"{engagement.name}: a quiet week ({week})"
    else:
        counts = []
        if summary.wins:
            counts.append(f"{len(summary.wins)} win{'s' if len(summary.wins) != 1 else ''}")
        if summary.filled:
            counts.append(f"{len(summary.filled)} filled")
        if summary.resolved:
            counts.append(f"{len(summary.resolved)} resolved")
        subject = f"{engagement.name}, your week: {', '.join(counts) or 'quick feedback'} ({week})"
    return [
        _message(
            "weekly_summary",
            context,
            subject=subject,
            recipient=recipient,
            message_id=f"weekly-summary-{engagement.pk}-{summary.week_start:%Y%m%d}-{recipient.pk}",
        )
    ]
