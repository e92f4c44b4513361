"""The declared content: document types, the typed model built from them, the registry, the settings and the methodology."""
