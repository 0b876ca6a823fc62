"""The pulse's signed link: ``feedback.links`` (the one signing, the ``/r/<token>/`` address of the
emails and the session grant), with the kind ``"pulse"`` registered from PartnershipConfig.ready.
A pulse link names one survey and one person; its page is ``partnership:pulse-link-page``."""

from feedback.links import link_kind_register, response_url

from .questions import PULSE_OPEN_FOR

PULSE_LINK = "pulse"
# A link keeps working a month after its survey closes, to say "This survey has closed" rather
# than that the link has expired.
PULSE_LINK_DAYS = PULSE_OPEN_FOR.days + 30


def register() -> None:
    link_kind_register(PULSE_LINK, code="p", page_url_name="partnership:pulse-link-page", max_age_days=PULSE_LINK_DAYS)


def pulse_link_url(*, invitation) -> str:
    """The absolute link for the email: this survey, this person."""
    return response_url(kind=PULSE_LINK, request_id=invitation.survey_id, user_id=invitation.person_id)
