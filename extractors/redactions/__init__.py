"""Redactions: exemption codes and release stamps in text (codes.py); boxes on pages come next (issue 13)."""
