"""Tables of the case file."""

from core.cases.models.calendar_day import CalendarDay, CalendarYear
from core.cases.models.category import ContentCategory
from core.cases.models.clock import Clock, Reminder
from core.cases.models.document import Attachment, Document
from core.cases.models.matter import Matter, MatterAccess, MatterParty
from core.cases.models.person import Person
from core.cases.models.rating import Rating
from core.cases.models.search_index import MatterIndex
from core.cases.models.sequence import Sequence
from core.cases.models.slip import AssignmentSlip, Delivery, Opinion
from core.cases.models.timeline import TimelineEntry

__all__ = [
    "AssignmentSlip",
    "Attachment",
    "CalendarDay",
    "CalendarYear",
    "Clock",
    "ContentCategory",
    "Delivery",
    "Document",
    "Matter",
    "MatterAccess",
    "MatterIndex",
    "MatterParty",
    "Opinion",
    "Person",
    "Rating",
    "Reminder",
    "Sequence",
    "TimelineEntry",
]
