"""The audit trail (issue 11): who changed what, when, from which value to which, for the changes
both sides answer for — an engagement's SLA policy, targets and account managers, assignments, a
submission's stage, an interview's outcome, orientation notes, issues and wins, out-of-office
periods and a person's activation.

The library is django-auditlog (``auditlog.models.LogEntry``, one table, on SQLite and PostgreSQL):

- ``registration``: which models and fields are tracked (registered from the app's ``ready``; lower
  apps' models are registered from here so that they never import this app), and the scope each
  entry carries in ``LogEntry.additional_data`` (``engagement_id``; ``organization_id`` for people
  and their out-of-office periods) so that the History pages filter with a JSON key lookup;
- ``record``: entries for changes made with ``QuerySet.update()``, which auditlog's signals miss;
- ``selectors``: the one access scope of entries (pages), with its filters;
- ``display``: an entry as a row in words (labels, choices' names, people's names), in constant
  queries per page.

The actor: page requests get it from ``auditlog.middleware.AuditlogMiddleware``; API requests
authenticate later, in DRF (``rpo_portal.api.TokenAuthentication`` names the actor then); Celery
tasks and management commands record none ("the portal").
"""
