"""The workflows that cross apps, each owned here in one function and one transaction.

The apps below know nothing of each other's reactions: a phase's approval changes transfers
and people (exchanges, captives), the inquiries that follow them, and the families' news
(inquiries); merging two records moves what all of them hold. Each such workflow lives in this
model-less layer, on top of every app (the import contract in pyproject.toml keeps it so), in
the manner of Zulip's ``actions``.
"""
