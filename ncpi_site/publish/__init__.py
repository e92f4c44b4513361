"""Stages 4 and 5, write and check: staging, the link check, the atomic swap, the whole build."""
