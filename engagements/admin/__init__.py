"""Django admin for the engagement domain: a back office for provider admins.

Every write a person makes here goes through the same service as in the API and the pages, with
the signed-in user as ``actor``: the services check the policies (``PermissionDenied``) and the
data rules (``ValidationError``), lock what they must, and fill in what the rules imply (the first
stage, ``filled_on``). Stages and interview statuses are not edited here as fields: they move only
through the services (``submission_change_stage``, ``interview_set_status``), which the admin
actions call, so that the stage history and the signals other apps listen to stay complete.
Assignments are never deleted here: ending one is how it stops, and its history stays.
A refusal is shown on the page, beside the field it names, and nothing is half-saved
(``rpo_portal.service_admin``).
"""

from . import contract, pipeline, relationship  # noqa: F401  (each registers its admins)
