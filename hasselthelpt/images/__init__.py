"""Images: `photos` (resized photo variants, keyed by a hash of the bytes, made in parallel) and `cards` (the
branded 1200x630 share cards). The brand's colours and fonts stay in hasselthelpt/brand.py: everything uses them.

Nothing is re-exported here: import the module itself.
"""
