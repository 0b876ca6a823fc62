"""Pages of the partnership app, one module per part.

- ``home``: the start page, which sends each role to the page it comes for.
- ``engagements``: the account manager's and client admin's engagement pages and the scorecard.
- ``requisitions``: "my requisitions" for recruiters and hiring managers, every requisition for the rest.
- ``requisition_detail``: one requisition's pipeline.
- ``pipeline``: the forms of those pages: service levels, add and submit a candidate, move a stage.
- ``assignments``: who works each requisition of an engagement, and one requisition's assignments
  (assign, end, swap primary and backup).
- ``candidates``: erasing a candidate's personal data (a confirmation page).
"""
