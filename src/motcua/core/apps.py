from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "motcua.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from motcua.core import retention
        from motcua.core.idempotency import purge_expired

        retention.register("expired idempotency answers", purge_expired)
        retention.register("finished background tasks", retention.purge_finished_tasks)
