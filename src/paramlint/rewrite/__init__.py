"""Format-preserving edits of the user's source for ``paramlint baseline`` and ``annotate``; libcst only here."""
