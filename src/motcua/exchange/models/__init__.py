"""The exchange's models, one module per concern."""

from motcua.exchange.models.inbound import FetchCursor, InboundDocument, InboundProblem
from motcua.exchange.models.partners import Partner
from motcua.exchange.models.portal import AgencyMapping, NationalSync, ProcedureMapping
from motcua.exchange.models.reconciliation import DifferenceKind, ReconciliationRun

__all__ = [
    "AgencyMapping",
    "DifferenceKind",
    "FetchCursor",
    "InboundDocument",
    "InboundProblem",
    "NationalSync",
    "Partner",
    "ProcedureMapping",
    "ReconciliationRun",
]
