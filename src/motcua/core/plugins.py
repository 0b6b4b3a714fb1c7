"""Typed plugin registries: the one way the platform picks an implementation among several (notification
channels today; payment providers, carriers and identity providers next).

A registry belongs to one kind of plugin and one setting. A plugin is a class registered under a key with the
registry's decorator; it declares its options as a pydantic model. The setting names the plugins that are on,
each with its options, `{"email": {"from_address": "..."}}`; the registry validates them and makes each
plugin with them, so a misspelt option or a wrong type is an ImproperlyConfigured naming the setting, the
plugin and the field, at start (a system check) rather than at the first use.

    channels: Registry[NotificationChannel[Any]] = Registry("notification channel", "MOTCUA_NOTIFY_CHANNELS")

    @channels.register("email")
    class EmailChannel(NotificationChannel[EmailOptions]):
        options_model = EmailOptions

A test swaps a plugin for a fake with `with channels.replaced("email", FakeEmail): ...`, which keeps the key,
the setting and the options. The model is Open Forms' `plugins/registry.py` (DESIGN.md §6).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any, ClassVar, Generic, TypeVar

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from pydantic import BaseModel, ConfigDict, ValidationError


class NoOptions(BaseModel):
    """The options of a plugin that takes none: anything given is an error."""

    model_config = ConfigDict(extra="forbid", frozen=True)


OptionsT = TypeVar("OptionsT", bound=BaseModel)


class Plugin(Generic[OptionsT]):
    """A plugin made with its key and its validated options. Subclasses name their options model (declare
    it with `extra="forbid"`, so that a misspelt option is an error rather than ignored)."""

    options_model: ClassVar[type[BaseModel]] = NoOptions

    def __init__(self, key: str, options: OptionsT) -> None:
        self.key = key
        self.options = options


PluginT = TypeVar("PluginT", bound=Plugin[Any])


class UnknownPlugin(LookupError):
    """The code asked for a key no plugin is registered under."""


class Registry(Generic[PluginT]):
    def __init__(self, kind: str, setting: str) -> None:
        self.kind = kind  # what the plugins are, for messages: "notification channel"
        self.setting = setting  # the setting that switches them on: {key: {option: value}}
        self._classes: dict[str, type[PluginT]] = {}

    def register(self, key: str) -> Callable[[type[PluginT]], type[PluginT]]:
        """A class decorator registering the plugin under `key`; ValueError when the key is taken."""

        def add(plugin: type[PluginT]) -> type[PluginT]:
            if key in self._classes:
                raise ValueError(
                    f"Two {self.kind}s are registered as {key!r}: "
                    f"{self._classes[key].__qualname__} and {plugin.__qualname__}."
                )
            self._classes[key] = plugin
            return plugin

        return add

    def __iter__(self) -> Iterator[str]:
        return iter(self._classes)

    def __contains__(self, key: object) -> bool:
        return key in self._classes

    def plugin_class(self, key: str) -> type[PluginT]:
        """The class registered under `key`; UnknownPlugin, listing the known keys, when there is none."""
        if key not in self._classes:
            raise UnknownPlugin(f"There is no {self.kind} {key!r}; the known ones are {self._known()}.")
        return self._classes[key]

    def configure(self, key: str, options: Mapping[str, Any]) -> PluginT:
        """The plugin `key` made with `options`; ImproperlyConfigured naming each field that is wrong."""
        plugin = self.plugin_class(key)
        try:
            valid = plugin.options_model.model_validate(dict(options))
        except ValidationError as error:
            problems = "; ".join(
                f"{'.'.join(str(part) for part in problem['loc'])}: {problem['msg']}"
                for problem in error.errors()
            )
            raise ImproperlyConfigured(
                f"{self.setting}[{key!r}] has wrong options for the {self.kind}: {problems}."
            ) from None
        return plugin(key, valid)

    def enabled(self) -> dict[str, PluginT]:
        """The plugins the setting switches on, each made with its options, in the setting's order."""
        wanted = getattr(settings, self.setting, {})
        if not isinstance(wanted, Mapping):
            raise ImproperlyConfigured(f"{self.setting} maps each {self.kind} that is on to its options.")
        plugins = {}
        for key, options in wanted.items():
            if key not in self._classes:
                raise ImproperlyConfigured(
                    f"{self.setting} names {key!r}, which is no {self.kind}; "
                    f"the known ones are {self._known()}."
                )
            if not isinstance(options, Mapping):
                raise ImproperlyConfigured(f"{self.setting}[{key!r}] is a mapping of option to value.")
            plugins[key] = self.configure(key, options)
        return plugins

    def get(self, key: str) -> PluginT | None:
        """The plugin `key` as the setting configures it, None when the setting leaves it off; UnknownPlugin
        when no plugin is registered under `key`."""
        self.plugin_class(key)
        return self.enabled().get(key)

    def problems(self) -> list[str]:
        """What is wrong with the setting, for a system check: empty when every plugin it names is made."""
        try:
            self.enabled()
        except ImproperlyConfigured as error:
            return [str(error)]
        return []

    @contextmanager
    def replaced(self, key: str, plugin: type[PluginT]) -> Iterator[type[PluginT]]:
        """Within the block, `key` is served by `plugin` (a test's fake) with the options the setting gives
        it; the registered class is back afterwards, whatever happens in the block."""
        original = self.plugin_class(key)
        self._classes[key] = plugin
        try:
            yield plugin
        finally:
            self._classes[key] = original

    def _known(self) -> str:
        return ", ".join(repr(key) for key in self._classes) or "none"
