"""Placeholder: filled by the issue-4 work in progress."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
