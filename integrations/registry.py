"""The integration providers this installation knows. `load()` imports the `provider` module of
every package in `integrations.providers` (never its emulator) and registers the classes listed
in its `provider_classes`."""

import importlib
import pkgutil
from typing import TYPE_CHECKING

from django.http import Http404

if TYPE_CHECKING:
    from .providers.base import Provider

_providers: dict[str, "Provider"] = {}


def register[P: "Provider"](provider_class: type[P]) -> type[P]:
    provider = provider_class()
    if not provider.id:
        raise ValueError(f"{provider_class.__name__} has no id.")
    _providers[provider.id] = provider
    return provider_class


def load() -> None:
    from . import providers

    for module_info in pkgutil.iter_modules(providers.__path__):
        if not module_info.ispkg:
            continue  # shared modules (base, values, settings_forms)
        try:
            module = importlib.import_module(f"{providers.__name__}.{module_info.name}.provider")
        except ModuleNotFoundError as error:
            if error.name != f"{providers.__name__}.{module_info.name}.provider":
                raise
            continue  # a package still being written, with no provider yet
        for provider_class in getattr(module, "provider_classes", []):
            register(provider_class)


def get(provider_id: str) -> "Provider":
    try:
        return _providers[provider_id]
    except KeyError:
        raise LookupError(f"No integration provider “{provider_id}”.") from None


def get_or_404(provider_id: str) -> "Provider":
    try:
        return get(provider_id)
    except LookupError as error:
        raise Http404(str(error)) from error


def all() -> list["Provider"]:  # noqa: A001 - the registry's own vocabulary
    return sorted(_providers.values(), key=lambda provider: provider.name)


def as_choices() -> list[tuple[str, str]]:
    return [(provider.id, provider.name) for provider in all()]
