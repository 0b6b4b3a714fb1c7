from django.apps import AppConfig


class WorktimeConfig(AppConfig):
    name = "motcua.worktime"
    label = "worktime"
