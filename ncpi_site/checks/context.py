"""What every rule may consult besides the content: the configuration, the registry and the date."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ncpi_site.content.config import SiteConfig
from ncpi_site.content.registry import Registry


@dataclass(frozen=True, slots=True)
class Context:
    config: SiteConfig
    registry: Registry
    today: date  # in Europe/London; embargoes and deadlines are judged against it
