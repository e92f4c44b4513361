"""Stage 1, load: find the content files and read them into YAML nodes and Markdown, with positions."""
