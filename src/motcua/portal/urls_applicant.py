"""The applicant's pages: applying online (a draft until submitted) and the citizen's own dossiers."""

from django.urls import path

from motcua.portal import views_apply, views_data, views_mine

urlpatterns = [
    path("procedures/<str:code>/apply/", views_apply.apply, name="apply"),
    path("applications/<int:pk>/", views_apply.application, name="application"),
    path("applications/<int:pk>/discard/", views_apply.discard, name="application-discard"),
    path(
        "applications/<int:pk>/documents/<int:requirement>/",
        views_apply.upload_document,
        name="application-upload",
    ),
    path(
        "applications/<int:pk>/documents/<int:requirement>/remove/",
        views_apply.remove_document,
        name="application-remove",
    ),
    path(
        "applications/<int:pk>/documents/<int:requirement>/file/",
        views_apply.document_file,
        name="application-file",
    ),
    path("applications/<int:pk>/review/", views_apply.review, name="application-review"),
    path("applications/<int:pk>/submitted/", views_apply.submitted, name="application-submitted"),
    path("my/data/", views_data.my_data, name="my-data"),
    path("my/data/export.zip", views_data.my_data_export, name="my-data-export"),
    path("my/dossiers/", views_mine.my_dossiers, name="my-dossiers"),
    path("my/dossiers/<str:code>/", views_mine.my_dossier, name="my-dossier"),
    path("my/dossiers/<str:code>/files/<int:pk>/", views_mine.dossier_file, name="my-dossier-file"),
    path("my/dossiers/<str:code>/supplement/", views_mine.send_supplement, name="my-dossier-supplement"),
    path(
        "my/dossiers/<str:code>/supplement/<int:item>/",
        views_mine.upload_supplement,
        name="my-dossier-supplement-upload",
    ),
    path(
        "my/dossiers/<str:code>/supplement/<int:item>/remove/",
        views_mine.remove_supplement,
        name="my-dossier-supplement-remove",
    ),
    path("my/dossiers/<str:code>/withdraw/", views_mine.withdraw, name="my-dossier-withdraw"),
    path("my/dossiers/<str:code>/rate/", views_mine.rate, name="my-dossier-rate"),
]
