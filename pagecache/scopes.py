"""What a write changes, and what a page reads, as scopes.

A scope names a part of the public data: `all` (read by every page), `lists` (the lists, the home
page, search, statistics, the department list), and one per object page: `proposal:<id>`,
`reply:<id>`, `commitment:<id>`, `department:<id>`.

The apps that own the data say what their writes touch, here, without this low-level app importing
them:

- `register(model, refs)`: `refs(instance)` returns references to what the saved or deleted row
  belongs to — scopes (`reply:7`) or other references (`item:3`) — from the ids on the row only, so
  a write spends no query on it. A model nobody registered bumps `all`; `ignore(model)` for rows no
  public page shows.
- `register_resolver(kind, resolve)`: `resolve(ids)` returns the proposal ids the references of
  that kind belong to (one query), e.g. `commitment` → the commitment's proposal.
- `register_expander(expand)`: `expand(proposal_ids)` returns the scopes of those proposals' pages
  (their replies, commitments, departments, …).

Once the transaction commits, the references are resolved to proposals, the proposals expanded to
their pages, and every scope is bumped once, with `lists`.
"""

import collections

from django.db import transaction

from .models import PageVersion

ALL = "all"
LISTS = "lists"
PROPOSAL = "proposal"
# The kinds of object a public page is about (a reference of another kind only leads to its proposal).
PAGE_KINDS = {PROPOSAL, "reply", "commitment", "department"}

_refs = {}
_resolvers = {}
_expanders = []


def scope(kind, pk):
    return f"{kind}:{pk}"


def split(ref):
    kind, _, pk = ref.partition(":")
    return kind, pk


def register(model, refs):
    _refs[model] = refs


def ignore(*models):
    for model in models:
        _refs[model] = lambda instance: ()


def register_resolver(kind, resolve):
    _resolvers[kind] = resolve


def register_expander(expand):
    _expanders.append(expand)


def refs_of(instance):
    refs = _refs.get(type(instance))
    return {ALL} if refs is None else set(refs(instance))


def scopes_to_bump(refs):
    """Every scope the writes behind `refs` change: the references themselves, the pages of the
    proposals they belong to, and `lists` (empty if nothing public was written)."""
    refs = set(refs)
    if not refs:
        return set()
    if ALL in refs:
        return {ALL}
    by_kind = collections.defaultdict(set)
    for ref in refs - {LISTS}:
        kind, pk = split(ref)
        by_kind[kind].add(int(pk))
    proposals = set(by_kind.pop(PROPOSAL, ()))
    for kind, ids in by_kind.items():
        if kind in _resolvers:
            proposals.update(_resolvers[kind](ids))
    scopes = {ref for ref in refs if split(ref)[0] in PAGE_KINDS}
    scopes.add(LISTS)
    scopes.update(scope(PROPOSAL, pk) for pk in proposals)
    for expand in _expanders:
        scopes.update(expand(proposals))
    return scopes


class PendingBump:
    """The references one transaction touched, bumped once after it commits."""

    def __init__(self, refs):
        self.refs = set(refs)
        self.done = False

    def __call__(self):
        PageVersion.objects.bump(scopes_to_bump(self.refs))
        # Tests run commit callbacks without committing, leaving them listed: later writes need a new one.
        self.done = True


def touch(refs, using=None):
    """Bump what `refs` change once the current transaction commits (at once outside a transaction).

    One PendingBump per transaction collects them all; a rolled-back transaction (or savepoint) drops
    it with its other commit callbacks, so it bumps nothing. Saves and deletes are signalled
    (signals.py); writes that send no signal (QuerySet.update(), bulk_create()) call this themselves."""
    refs = set(refs)
    if not refs:
        return
    connection = transaction.get_connection(using)
    if connection.in_atomic_block:
        for _savepoints, callback, _robust in connection.run_on_commit:
            if isinstance(callback, PendingBump) and not callback.done:
                callback.refs.update(refs)
                return
    transaction.on_commit(PendingBump(refs), using=using)


def bump_all(using=None):
    """Every cached page out of date: for bulk loads and index rebuilds."""
    touch({ALL}, using=using)
