"""Paper: signed visit receipts (回执) and visit sheets (走访登记表), as PDFs.

Core code: no Qt, no SQL. The services build the documents; this package encodes,
lays out and writes them."""
