"""What the directory tells other apps about its writes.

A single facility is saved or deleted through the model (Django's ``post_save``/``post_delete``);
an import writes thousands of rows in bulk without those signals and sends ``facilities_imported``
once, inside its transaction, with the ids of the municipalities it may have changed
(``municipality_ids``): a listener recomputes what it derives from them in the same transaction.
"""

from __future__ import annotations

from django.dispatch import Signal

facilities_imported = Signal()
