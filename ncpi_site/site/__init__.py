"""Stage 3, render: what the public sees (visibility, the register of outputs, templates, search)."""
