"""The reminder and escalation engine (flow 3 of the product).

- ``sweep``: every minute, record each due ladder level (due soon → overdue → escalation) as a
  ``Reminder`` row, set-based, guarded by the unique constraint on (request, level); advance the
  ladders; reclaim sends abandoned by a dead worker; publish send tasks for pending rows.
- ``delivery``: send one recorded reminder — claim, re-check, quiet hours, digest, send, mark.
- ``digests``: one email a day at 08:00 local for users on digest mode.
- ``subjects``: what is chased, kind by kind (feedback's requests in ``request_kinds``; an app
  above feedback registers its own kinds, such as partnership's overdue issues, from its ``ready``).
- ``notices``: the recruiter hears about feedback; interview invitations with an .ics file (both
  recorded in ``rpo_portal.outbox`` with the answer or booking, built and sent by the worker).

Who receives what:

- requested / due soon / overdue → the person asked (``requested_of``);
- escalation → the engagement's escalation contact, else every active client admin of the client;
  copied to the engagement's account managers and the requisition's covering recruiter;
- an issue (``partnership.chase``): due soon and overdue → its owner; escalation → the lead of the
  owner's side (client: the escalation contact, else the client admins; provider: the account
  managers), copied to the other side's;
- "feedback received" and the recruiter's interview invitation → the covering recruiter (the
  backup while the primary is out of office; ``engagements.selectors.requisition_covering_recruiters``).

Which errors are transient, the lease and what follows a failed send are ``rpo_portal.delivery``'s,
shared with the outbox. "Exactly once" here means: each level is recorded once per request (the
database guarantees it), and each recorded row is handed to the mail server by one task at a time (the claim). The one
window left is a worker dying after the server accepted a message and before the row was marked
sent; after the lease the row is sent again (never lost, rarely twice), with the same Message-ID.
"""

from rpo_portal.delivery import SENDING_LEASE

from . import request_kinds  # noqa: F401  (registers the requests, first: see subjects)
from .delivery import how_requests_reach, reminder_deliver
from .digests import digest_deliver, digests_prepare
from .notices import feedback_received_enqueue, interview_invitations_enqueue
from .quiet_hours import is_quiet, quiet_hours_end
from .sweep import (
    DISPATCH_BATCH,
    SweepResult,
    dispatch_pending,
    reclaim_expired_claims,
    record_due_steps,
    run_sweep,
)

__all__ = [
    "DISPATCH_BATCH",
    "SENDING_LEASE",
    "SweepResult",
    "digest_deliver",
    "digests_prepare",
    "dispatch_pending",
    "feedback_received_enqueue",
    "how_requests_reach",
    "interview_invitations_enqueue",
    "is_quiet",
    "quiet_hours_end",
    "reclaim_expired_claims",
    "record_due_steps",
    "reminder_deliver",
    "run_sweep",
]
