"""`ncpi-site schema`: the JSON Schema of the front matter, for editors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ncpi_site.diagnostics import SetupError

if TYPE_CHECKING:
    pass

# The rendering, scaffolding and serving modules (Jinja2, watchfiles) are imported by the commands
# that use them, so `ncpi-site check` starts quickly.
from ncpi_site.commands.app import main, site_option
from ncpi_site.commands.check import _configuration_failed


@main.command(
    "schema",
    epilog="\b\nExample:\n  ncpi-site schema --type feedback > feedback.schema.json",
)
@click.option(
    "--type",
    "doc_type",
    type=click.Choice(["inspection", "feedback", "progress-update", "page"]),
    default=None,
    help="One document type's schema (default: one schema for all, chosen by `type`).",
)
@site_option
def schema_command(doc_type: str | None, site_dir: Path) -> None:
    """Print the JSON Schema (2020-12) of the front matter, for editors.

    The methodologies it accepts are the site's (site_config.yml), or the built-in ones outside a site.
    """
    from ncpi_site.content.config import CONFIG_FILE, load_config
    from ncpi_site.content.jsonschema import combined_schema, document_schema
    from ncpi_site.diagnostics import RULE_CODES

    names = None
    if (site_dir / CONFIG_FILE).is_file():
        try:
            names = load_config(site_dir / CONFIG_FILE, site_dir, RULE_CODES).methodologies.names
        except SetupError as error:
            raise _configuration_failed(error) from None
    schema = document_schema(doc_type, names) if doc_type else combined_schema(names)
    click.echo(json.dumps(schema, indent=2))
