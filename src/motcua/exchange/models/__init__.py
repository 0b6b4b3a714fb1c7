"""The exchange's models, one module per concern."""

from motcua.exchange.models.inbound import FetchCursor, InboundDocument, InboundProblem
from motcua.exchange.models.portal import AgencyMapping, NationalSync, ProcedureMapping

__all__ = [
    "AgencyMapping",
    "FetchCursor",
    "InboundDocument",
    "InboundProblem",
    "NationalSync",
    "ProcedureMapping",
]
