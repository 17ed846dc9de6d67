"""Redactions: exemption codes and release stamps in text (codes.py), boxes in born-digital pages' drawing
(boxes.py) and in scans (image_boxes.py), tied together per page (page_redactions.py) and per document
(document_redactions.py)."""
