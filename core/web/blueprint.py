"""The ``core`` blueprint (its routes: ``core.web.routes``).

The view files import ``bp`` from here and ``core.web.routes`` imports them all, so this module
depends on none of them (they used to import each other in a circle).
"""

from flask import Blueprint

bp = Blueprint("core", __name__)
