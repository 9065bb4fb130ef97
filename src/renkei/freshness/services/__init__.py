"""The rules of freshness, one module per concern; pages, the command and the benchmark call them.

- :mod:`.policy`: how long an entry stays fresh in a region, and each entry's state;
- :mod:`.links`: the personal update links (issue, open, revoke, rate limits);
- :mod:`.updates`: what a facility sends through its link or its account (confirmation, edit);
- :mod:`.review`: the municipality's review of changes to the reviewed fields;
- :mod:`.history`: every version of an entry, and restoring one;
- :mod:`.contacts`: the facility's contact e-mails (bounced, removed, registered again);
- :mod:`.reminders`: which reminders are due, sending them, and staff's 「リンクを再送」;
- :mod:`.mail`: the text of every mail freshness sends (templates under ``freshness/mail/``);
- :mod:`.dashboard`: the figures of the dashboard and the Excel list of overdue entries.

Services follow the contract of :mod:`renkei.core.services`: they take the acting user, refuse with
``PermissionDenied`` or an error of :mod:`.errors` (each a ``RuleError``)."""
