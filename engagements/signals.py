"""Signals this app sends so that higher apps (feedback) can react without being imported here.

``submission_stage_changed``
    Sent by ``submission_change_stage`` (and ``submission_create``) inside the same transaction,
    after the stage and its history row are written. Arguments: ``submission`` (the updated
    instance), ``from_stage`` (``""`` for a new submission), ``to_stage``, ``changed_by``.
    Receivers run in that transaction: raising rolls the stage change back.

``interview_status_changed``
    Sent by ``interview_set_status`` inside its transaction. Arguments: ``interview``,
    ``from_status``, ``to_status``, ``changed_by``.
"""

from django.dispatch import Signal

submission_stage_changed = Signal()
interview_status_changed = Signal()
