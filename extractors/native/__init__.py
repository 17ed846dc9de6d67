"""Native email files (.eml, .mbox): their messages read from the file itself, no page in between."""
