"""Pages of the relief fund, one module per subject.

Applications and the chain, money (undertaking, payments, 销号, relations), accounts, reports,
and the finance view of a matter.
"""

from . import accounts, applications, matter, money, reports  # noqa: F401
