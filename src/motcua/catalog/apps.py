from django.apps import AppConfig
from django.db.models.signals import m2m_changed
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "motcua.catalog"
    label = "catalog"
    verbose_name = _("Procedure catalogue")

    def ready(self) -> None:
        from motcua.catalog import models
        from motcua.core.memo import clear_caches_on_change, clear_reference_caches

        # Any edit of the catalogue drops this process's cached intake offers and programme times.
        clear_caches_on_change(
            models.Procedure,
            models.ProcedureVersion,
            models.Case,
            models.Fee,
            models.RequiredDocument,
            models.WorkflowStep,
            models.ServiceProgramme,
            models.ProgrammeEntry,
        )
        m2m_changed.connect(
            clear_reference_caches,
            sender=models.ProcedureVersion.receiving_units.through,
            dispatch_uid="catalog-receiving-units",
        )
