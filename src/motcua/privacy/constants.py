from django.db import models
from django.utils.translation import gettext_lazy as _


class AccessChannel(models.TextChoices):
    """Through what the personal data was read."""

    PAGE = "page", _("Back-office page")
    API = "api", _("API")
    PRINT = "print", _("Printed form")
    EXPORT = "export", _("Export")
    PORTAL = "portal", _("Portal")


class AccessKind(models.TextChoices):
    """What was read. These are the reads that show a dossier's personal data (the applicant's number,
    birth date, address, contacts, the e-form answers) or its files; lists and search results, which show
    a code, a name and a status, are not recorded (ADR 0016)."""

    DOSSIER_PAGE = "dossier_page", _("Opened the dossier")
    FILE = "file", _("Opened a file of the dossier")
    PRINTED_FORM = "printed_form", _("Printed a form of the dossier")
    TRACKING_BOOK = "tracking_book", _("Exported the tracking book")
    API_DOSSIER = "api_dossier", _("Read the dossier through the API")
    API_EVENTS = "api_events", _("Read the dossier's history through the API")
    SUBJECT_EXPORT = "subject_export", _("Downloaded their own data")
