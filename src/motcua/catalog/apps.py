from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "motcua.catalog"
    label = "catalog"
    verbose_name = _("Procedure catalogue")

    def ready(self) -> None:
        from motcua.catalog import models
        from motcua.core.memo import clear_reference_caches

        # Any edit of the catalogue drops this process's cached intake offers and programme times.
        for model in (
            models.Procedure,
            models.ProcedureVersion,
            models.Case,
            models.Fee,
            models.RequiredDocument,
            models.WorkflowStep,
            models.ServiceProgramme,
            models.ProgrammeEntry,
        ):
            for signal in (post_save, post_delete):
                signal.connect(
                    clear_reference_caches, sender=model, dispatch_uid=f"catalog-{model.__name__}-{signal}"
                )
        m2m_changed.connect(
            clear_reference_caches,
            sender=models.ProcedureVersion.receiving_units.through,
            dispatch_uid="catalog-receiving-units",
        )
