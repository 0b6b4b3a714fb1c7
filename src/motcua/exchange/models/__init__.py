"""The exchange's models, one module per concern."""

from motcua.exchange.models.partners import Partner
from motcua.exchange.models.portal import AgencyMapping, NationalSync, ProcedureMapping

__all__ = ["AgencyMapping", "NationalSync", "Partner", "ProcedureMapping"]
