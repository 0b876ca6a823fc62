"""Signals this app sends so that higher apps (feedback) can react without being imported here.

``submission_stage_changed``
    Sent by ``submission_change_stage`` (and ``submission_create``) inside the same transaction,
    after the stage and its history row are written. Arguments: ``submission`` (the updated
    instance), ``from_stage`` (``""`` for a new submission), ``to_stage``, ``changed_by``.
    Receivers run in that transaction: raising rolls the stage change back.

``interview_status_changed``
    Sent by ``interview_set_status`` inside its transaction. Arguments: ``interview``,
    ``from_status``, ``to_status``, ``changed_by``.

``candidate_erased``
    Sent by ``engagements.services.candidates`` (a person's ``candidate_erase`` and the retention
    task alike) inside the erasing transaction, once per batch, after this app has anonymised the
    candidates and the free text it holds about them. Arguments: ``candidate_ids`` (a list of the
    ids erased just now; never one already erased), ``erased_by`` (the person, or ``None`` for
    retention). Receivers blank whatever free text about these candidates their app keeps (the
    feedback app: the hiring managers' comments), set-based; raising rolls the erasure back.

``implementation_task_closed``
    Sent by ``engagements.implementation.implementation_task_complete`` inside its transaction,
    once the task is marked done. Argument: ``task``. The app that chases tasks (partnership's
    ``implementation_chase``) skips its reminders not sent yet.
"""

from django.dispatch import Signal

submission_stage_changed = Signal()
interview_status_changed = Signal()
candidate_erased = Signal()
implementation_task_closed = Signal()
