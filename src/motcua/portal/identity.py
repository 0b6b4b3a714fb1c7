"""Where outside identity providers (VNeID through OpenID Connect, later) plug into citizen sign-in.

A provider sends the citizen away to prove who they are and, on their return, says who they proved to be. The
registry is empty by default; a deployment registers its providers at start-up (an AppConfig.ready), and the
sign-in page offers one button per registered provider.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Protocol

from django.http import HttpRequest
from django.utils.functional import Promise


@dataclass(frozen=True)
class VerifiedIdentity:
    """Who the provider vouches the person is; the personal identification number names the account."""

    provider: str
    subject: str  # the provider's own, stable identifier of the person
    id_number: str
    full_name: str
    email: str = ""


class IdentityProvider(Protocol):
    key: str  # in URLs: letters, digits and hyphens
    label: str | Promise  # on the sign-in button, e.g. "Sign in with VNeID"

    def authorization_url(self, request: HttpRequest) -> str:
        """Where to send the citizen to prove who they are; the provider returns them to its complete view."""
        ...

    def complete(self, request: HttpRequest) -> VerifiedIdentity:
        """The identity proved by the request the provider sent the citizen back with.

        Raises IdentityNotVerified when the provider refused or the answer cannot be trusted.
        """
        ...


class IdentityNotVerified(Exception):
    """The provider did not vouch for the person; the message is shown to them."""


class ProviderRegistry:
    def __init__(self) -> None:
        self._providers: dict[str, IdentityProvider] = {}

    def register(self, provider: IdentityProvider) -> IdentityProvider:
        if provider.key in self._providers:
            raise ValueError(f"an identity provider is already registered as {provider.key!r}")
        self._providers[provider.key] = provider
        return provider

    def unregister(self, key: str) -> None:
        self._providers.pop(key, None)

    def get(self, key: str) -> IdentityProvider | None:
        return self._providers.get(key)

    def __iter__(self) -> Iterator[IdentityProvider]:
        return iter(self._providers.values())


providers = ProviderRegistry()
