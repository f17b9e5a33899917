"""Writing many proposals in one request (the Excel intake, batch 立案 and 交办, bulk progress reports).

Apps that do work after every save of a proposal may do it once for the whole batch instead: they
register a context manager here (`register(hook)`), and `batch_writes()` runs the batch inside all of
them. Search registers its deferred indexing (search/signals.py): inside the block a save only notes
the proposal, and the index is rebuilt in bulk when the block ends. This app does not know who
listens, as with pagecache/scopes.py.

Use it inside the batch's transaction, so that what the hooks write at the end rolls back with it:
`with transaction.atomic(), bulk.batch_writes(): …`.
"""

import contextlib

_hooks = []


def register(hook):
    """`hook()` returns a context manager entered around every batch. Registering twice is a no-op."""
    if hook not in _hooks:
        _hooks.append(hook)


@contextlib.contextmanager
def batch_writes():
    with contextlib.ExitStack() as stack:
        for hook in _hooks:
            stack.enter_context(hook())
        yield
