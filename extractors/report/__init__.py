"""The evidence report's parts: charts drawn to SVG, page crops with the cited words highlighted, HTML pages.
Plain inputs in, text or images out; the report flow (flows/evidence_report.py) reads the database and writes."""
