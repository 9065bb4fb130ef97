"""Who may do what: the one place that answers it.

Every page, API call, download and command asks these functions; views and templates never test
roles themselves. Everything is denied unless a rule below allows it.

One module per area (``roles`` is what the others build on); ``renkei.core.permissions`` offers them
all, so callers write ``permissions.can_view_patient(user, patient)``. A rule's queryset form ("the
members who may see this patient") lives in the same module, beside its predicate. A new area adds
its module here and one import line below.
"""

from renkei.core.permissions.accounts import *  # noqa: F403
from renkei.core.permissions.consultations import *  # noqa: F403
from renkei.core.permissions.continuity import *  # noqa: F403
from renkei.core.permissions.directory import *  # noqa: F403
from renkei.core.permissions.emergency_services import *  # noqa: F403
from renkei.core.permissions.freshness import *  # noqa: F403
from renkei.core.permissions.meetings import *  # noqa: F403
from renkei.core.permissions.outreach import *  # noqa: F403
from renkei.core.permissions.reports import *  # noqa: F403
from renkei.core.permissions.roles import *  # noqa: F403
from renkei.core.permissions.roles import _active  # noqa: F401
from renkei.core.permissions.sharing import *  # noqa: F403
from renkei.core.permissions.sheets import *  # noqa: F403
from renkei.core.permissions.transitions import *  # noqa: F403
