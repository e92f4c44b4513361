"""ncpi-site: publish National Child Protection Inspection follow-up work as an accessible static site."""

__version__ = "0.1.0"
