"""`python -m ncpi_site` runs the command line, as the `ncpi-site` script does."""

from ncpi_site.commands import main

main()
