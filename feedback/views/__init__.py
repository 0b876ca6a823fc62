"""Pages of the feedback app, one module per audience.

- ``requests``: the hiring manager's inbox and answer forms, the signed one-click link, booking.
- ``engagements``: the account manager's and client admin's engagement pages and scorecard.
- ``requisitions``: "my requisitions" for recruiters and hiring managers, and a requisition's pipeline.

They live in the feedback app because they read feedback data (requests, reminders, the
scorecard); pages that only touch engagement or account data live in those apps.
"""
