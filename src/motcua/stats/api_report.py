"""Placeholder: filled by the issue-4 work in progress."""

from ninja import Router

from motcua.org.auth import api_auth

router = Router(tags=["statistics"], auth=api_auth)
