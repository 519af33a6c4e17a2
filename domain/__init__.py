"""The ledger's pure core: text, anchoring, values as intervals, extraction, conflicts and
positions. Plain Python, no Django (an import contract checks it), tested directly."""
