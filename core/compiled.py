"""Querysets compiled to SQL once per database connection, then run with new parameter values.

Turning a queryset into SQL (the ORM's compiler) costs 1–2 ms per query on the public pages,
every request, for queries whose SQL never changes: only the values bound to it do (issue 14).
Here a query is declared once, at module level, as a function of typed parameters::

    @compiled(now=datetime, pk=int)
    def live_card(now, pk):
        return Article.objects.live(now).with_cards().filter(pk=pk)

    articles = live_card.run(now=timezone.now(), pk=42)   # a list, as list(queryset) gives
    article = live_card.first(now=timezone.now(), pk=42)  # or None

How: on first use on a connection, the function is called twice, each time with a different
set of stand-in values ("sentinels": an odd instant, a string with control characters, …), and
both querysets are compiled. Their SQL must be identical; the parameters that differ must be
exactly the sentinels as the backend adapts them (an aware datetime stays a datetime on
PostgreSQL and becomes a UTC string on SQLite: connection.ops decides, as for the ORM). Those
positions are then filled with the caller's values on every later run. Compiling twice rather
than once and searching for the sentinels is what makes the check sound: a constant that
happens to equal a sentinel cannot be mistaken for it, and anything else that moves between the
two compiles — a parameter the ORM transformed (`contains` wraps it in %…%), SQL that depends
on the value (Django drops an out-of-range integer comparison), the clock read inside the
function (`live()` without its `at`) — is refused at once, as the programming error it is,
rather than silently frozen into every later run.

The rows come from Django's own iterables (model instances with their select_related objects,
values()/values_list() rows with the fields' converters, e.g. JSON decoded): each run iterates
a copy of the first compile's queryset whose compiler hands back the kept SQL and the new
parameters instead of compiling. The query goes through connection.cursor(), so query counting
(assertNumQueries, CaptureQueriesContext, debug toolbars) sees it like any other.

prefetch_related works: Django runs the prefetches after the rows as usual (compiling those
queries each time). A prefetch whose queryset depends on a parameter (or the clock) is refused
at compile time, since it would otherwise be frozen.

What is compiled is kept on the connection object (django.db.connections[alias] is one per
thread), so no two threads share a compiler or a cursor. It is compiled again:
- on another connection, hence another alias or thread;
- under another active time zone (SQL for __date or Trunc names the zone);
- after any setting changes (Django's setting_changed signal, sent by override_settings and
  pytest-django's `settings`), since the function may read settings.
Assumed, and not checked: the function reads nothing else that changes while the process runs
(the feature flags it reads are read once per connection); under a frozen clock (time_machine
in tests) the two compiles read the same instant, so a `live()` without its `at` goes unseen.
The connection object outlives its database connection (CONN_MAX_AGE closes only the latter),
so a worker thread compiles each query once, not once per request. Define each compiled query
once, at module level: its compiled forms are kept per connection for the connection's life.

On PostgreSQL each compiled SQL is also prepared on the server, once per database session
(PREPARE, then EXECUTE with the values), so PostgreSQL can keep its plan. Planning was most of
what the database did for a page (0.2–0.3 ms a statement on the benchmark machine, against
0.03–0.2 ms to run it), and for a statement whose best plan does not depend on the values (the
topic or the article at a slug) PostgreSQL plans it once per session. A statement whose best
plan does depend on the values (the newest live articles up to now, a cluster, a search's words)
is declared with prepare=False and sent as plain SQL, planned for its values on every run:
prepared, PostgreSQL may switch it to one generic plan after its fifth run when that plan's
estimated cost looks no worse, and for a search that plan ran 2.5 times as long. The
parameters are declared by their Python type (text, bigint, timestamptz, …), never a column's:
an over-long slug still matches nothing rather than failing on varchar(n). PREPARE goes through
the driver's own cursor, unseen by query counting, like a driver's protocol-level prepare; it
runs inside a savepoint when a transaction is open, so a statement PostgreSQL refuses to
prepare runs as plain SQL instead of aborting the transaction. settings.DB_PREPARED_STATEMENTS
turns this off, for a pooler that hands server connections from client to client between
transactions (PgBouncer's transaction mode), where a prepared statement is not there on the
next one. statement_sql() gives back the SQL behind an EXECUTE, for tests that read queries.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Any

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.core.signals import setting_changed
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Prefetch, QuerySet
from django.db.models.sql.compiler import SQLCompiler
from django.utils import timezone

#: The types a parameter may have. Each compares by value and reaches the SQL as one parameter.
#: (bool is left out: True and False are too easily constants of the same query.)
PARAMETER_TYPES = (datetime, date, str, int)

#: The last row a window may reach: SQL's LIMIT and OFFSET are 64-bit integers.
MAX_ROW = 2**63 - 1

#: Where the compiled queries live on a DatabaseWrapper.
CONNECTION_ATTRIBUTE = "dossier_compiled_queries"
#: Where a DatabaseWrapper keeps its session's prepared statements: (driver connection, {name:
#: prepared or not}). Another driver connection is another session, with none prepared.
PREPARED_ATTRIBUTE = "dossier_prepared_statements"
#: Every statement this process has prepared, by name: what statement_sql() reads.
_prepared_sql: dict[str, str] = {}
#: The statements PostgreSQL refused to prepare, each logged once.
_refused: set[str] = set()
_PLACEHOLDER = re.compile(r"%([%s])")
_EXECUTE = re.compile(r"^EXECUTE (dossier_[0-9a-f]+)\b")

logger = logging.getLogger("dossier.db")

_generation = 0  # moves on with every setting change: everything kept is compiled again


def _settings_changed(**kwargs) -> None:
    global _generation
    _generation += 1


setting_changed.connect(_settings_changed, dispatch_uid="core.compiled")


class CompileError(Exception):
    """A compiled query's function cannot be compiled once for every value: a programming
    error, raised on the query's first run rather than a wrong result later."""


def _sentinels(types: dict[str, type], second: bool) -> dict[str, Any]:
    """One value per parameter, of its type, distinct from the other parameters' and from the
    other set's. Integers stay small and positive: Django compiles an integer outside a
    field's range (a negative one for a PositiveIntegerField) to "matches nothing". The strings
    carry LIKE's special characters, so escaping them counts as a transformation."""
    values: dict[str, Any] = {}
    for i, (name, kind) in enumerate(types.items()):
        if kind is datetime:
            instant = datetime(2011 if second else 1999, 3, 7, 11, 13, 17, 123_457, tzinfo=UTC)
            instant += timedelta(microseconds=i)
            values[name] = instant if settings.USE_TZ else timezone.make_naive(instant, UTC)
        elif kind is date:
            values[name] = date(2011 if second else 1999, 3, 7) + timedelta(days=i)
        elif kind is int:
            values[name] = (25_013 if second else 20_011) + i
        else:
            values[name] = f"\x1e%_\\sentinel:{name}:{int(second)}\x1f"
    return values


def _adapters(kind: type, connection: BaseDatabaseWrapper) -> tuple[Callable, ...]:
    """How a value of `kind` may reach the parameters: adapted for a field as the ORM does, or
    as it is (RawSQL, or a backend that keeps it)."""
    if kind is datetime:
        return (connection.ops.adapt_datetimefield_value, _as_is)
    if kind is date:
        return (connection.ops.adapt_datefield_value, _as_is)
    return (_as_is,)


def _as_is(value: Any) -> Any:
    return value


def _payload(param: Any) -> Any:
    # A JSON parameter arrives wrapped in the driver's adapter (psycopg2's Json, psycopg's
    # Jsonb), which compares by identity: compare what it wraps.
    for attribute in ("adapted", "obj"):
        if attribute in getattr(param, "__dict__", ()) or attribute in getattr(
            type(param), "__slots__", ()
        ):
            return getattr(param, attribute)
    return param


@dataclass(frozen=True, slots=True)
class _Compiled:
    """A query compiled on one connection: the first compile's queryset and compiler (whose
    select, klass_info and annotation_col_map the iterables read), its SQL, its parameters
    with the positions to fill on each run, and its columns' converters."""

    generation: int
    queryset: QuerySet
    compiler: SQLCompiler
    sql: str
    params: tuple
    slots: tuple[tuple[int, str, Callable], ...]  # (position, parameter, adapter)
    # Which converters each column needs (JSON decoding, the backend's datetimes, …) depends
    # on the columns alone, yet the compiler asks every column again on every run: a tenth of
    # a compiled run of with_cards(). Asked once here.
    converters: dict
    #: Prepared on the server (PostgreSQL, settings.DB_PREPARED_STATEMENTS).
    prepare: bool = False
    #: The prepared statement's name and parameter types for each SQL text run (with and
    #: without a window).
    names: dict[str, tuple[str, list[str]]] = field(default_factory=dict)

    def fetch(
        self,
        values: dict[str, Any],
        window: tuple[int, int] | None = None,
        connection: BaseDatabaseWrapper | None = None,
    ) -> list:
        params = list(self.params)
        for position, name, adapt in self.slots:
            params[position] = adapt(values[name])
        sql = self.sql
        if window is not None:
            # Bound, not written into the SQL as Django's slicing does, so that every page of
            # a list runs the one compiled text. PostgreSQL and SQLite both take parameters
            # here.
            start, stop = window
            sql += " LIMIT %s OFFSET %s"
            params += [stop - start, start]
        bound = tuple(params)
        if self.prepare and connection is not None:
            sql = self._executed(connection, sql, bound)
        # Shallow copies, so that a run never changes what later runs or the kept queryset
        # see. The compiler's setup (select, klass_info, annotation_col_map) is already done;
        # as_sql() is replaced by the kept SQL with this run's parameters, get_converters() by
        # the kept converters.
        compiler = _twin(self.compiler)
        compiler.as_sql = lambda *args, **kwargs: (sql, bound)
        compiler.get_converters = lambda expressions: self.converters
        query = _twin(self.queryset.query)
        query.get_compiler = lambda *args, **kwargs: compiler
        queryset = _twin(self.queryset)
        # Not `.query =`: its setter resets the iterable class of values() querysets.
        queryset._query = query
        queryset._result_cache = None
        queryset._prefetch_done = False
        return list(queryset)

    def _executed(self, connection: BaseDatabaseWrapper, sql: str, params: tuple) -> str:
        """What to send for `sql`: an EXECUTE of it prepared in this session, or `sql` itself
        where it cannot be prepared."""
        known = self.names.get(sql)
        if known is None:
            slots = {position for position, _, _ in self.slots}
            types = [
                _server_type(param, constant=position < len(self.params) and position not in slots)
                for position, param in enumerate(params)
            ]
            digest = hashlib.sha1(f"{sql}\n{types}".encode(), usedforsecurity=False)
            known = self.names[sql] = (f"dossier_{digest.hexdigest()[:24]}", types)
            _prepared_sql[known[0]] = sql
        name, types = known
        connection.ensure_connection()
        raw = connection.connection
        session = connection.__dict__.get(PREPARED_ATTRIBUTE)
        if session is None or session[0] is not raw:
            session = connection.__dict__[PREPARED_ATTRIBUTE] = (raw, {})
        prepared = session[1].get(name)
        if prepared is None:
            prepared = _prepare(raw, name, sql, types)
            if prepared is not None:
                session[1][name] = prepared
        if not prepared:
            return sql
        return (
            f"EXECUTE {name} ({', '.join(['%s'] * len(params))})" if params else f"EXECUTE {name}"
        )


def _server_type(value: Any, *, constant: bool) -> str:
    """The type a parameter is declared with in PREPARE: its Python type's, so that it compares
    as the plain query's parameter does (text against a varchar(n) column is no error). An
    integer the query itself holds (a length, a position) takes the type its place needs, as a
    literal does; the values passed in, which may be anything, and the window are bigint."""
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "unknown" if constant else "bigint"
    if isinstance(value, datetime):
        return "timestamptz" if value.tzinfo is not None else "timestamp"
    if isinstance(value, date):
        return "date"
    if isinstance(value, str):
        return "text"
    return "unknown"  # PostgreSQL infers it from where it is used


def _prepare(raw: Any, name: str, sql: str, types: list[str]) -> bool | None:
    """PREPARE `sql` as `name` on the driver connection `raw`: True once done, False when
    PostgreSQL refuses it (it then runs as plain SQL on this session), None when it cannot be
    tried now (the transaction has already failed)."""
    import psycopg2
    from psycopg2 import extensions

    numbers = iter(range(1, len(types) + 1))
    body = _PLACEHOLDER.sub(lambda m: "%" if m[1] == "%" else f"${next(numbers)}", sql)
    declared = f" ({', '.join(types)})" if types else ""
    status = raw.info.transaction_status
    if status == extensions.TRANSACTION_STATUS_INERROR:
        return None
    # In a transaction a refused PREPARE would abort it: a savepoint keeps it to itself.
    guarded = not (raw.autocommit and status == extensions.TRANSACTION_STATUS_IDLE)
    with raw.cursor() as cursor:
        if guarded:
            cursor.execute("SAVEPOINT dossier_prepare")
        try:
            cursor.execute(f"PREPARE {name}{declared} AS {body}")
        except (psycopg2.OperationalError, psycopg2.InterfaceError):
            raise  # the connection itself failed: the query would too
        except psycopg2.Error as error:
            if guarded:
                cursor.execute("ROLLBACK TO SAVEPOINT dossier_prepare")
                cursor.execute("RELEASE SAVEPOINT dossier_prepare")
            if isinstance(error, psycopg2.errors.DuplicatePreparedStatement):
                return True  # already in this session: the name is its SQL's and types' hash
            if name not in _refused:  # once per process, not once per connection
                _refused.add(name)
                logger.warning("compiled query not prepared, run as plain SQL: %s", error)
            return False
        if guarded:
            cursor.execute("RELEASE SAVEPOINT dossier_prepare")
    return True


def statement_sql(sql: str) -> str:
    """The SQL an `EXECUTE dossier_…` runs (any other SQL as it is): for reading captured
    queries (tests, debugging)."""
    found = _EXECUTE.match(sql)
    return _prepared_sql.get(found[1], sql) if found else sql


def _twin(obj: Any) -> Any:
    """A shallow copy of obj. copy.copy() would do, but QuerySet.__getstate__ evaluates it."""
    twin = object.__new__(type(obj))
    twin.__dict__.update(obj.__dict__)
    return twin


class CompiledQuery:
    """A queryset built by `build(**parameters)`, compiled once per connection (see the module
    docstring). `parameter_types` name each parameter's type, one of PARAMETER_TYPES; `using`
    is the database alias it runs on; `prepare=False` keeps it from being prepared on
    PostgreSQL, for a statement whose best plan depends on its values."""

    def __init__(
        self,
        build: Callable[..., QuerySet],
        *,
        using: str = DEFAULT_DB_ALIAS,
        prepare: bool = True,
        **parameter_types: type,
    ) -> None:
        for name, kind in parameter_types.items():
            if kind not in PARAMETER_TYPES:
                raise TypeError(
                    f"Parameter {name!r} of {build.__qualname__} has type {kind!r}; a compiled "
                    f"query takes {', '.join(t.__name__ for t in PARAMETER_TYPES)}."
                )
        self.build = build
        self.using = using
        self.prepare = prepare
        self.types = parameter_types
        self.__name__ = getattr(build, "__name__", "compiled")
        self.__qualname__ = getattr(build, "__qualname__", self.__name__)

    def __repr__(self) -> str:
        return f"<CompiledQuery {self.__qualname__}({', '.join(self.types)})>"

    def run(self, **values: Any) -> list:
        """The rows, as list() of the queryset built with these values would give them."""
        self._check(values)
        connection = connections[self.using]
        return self._compiled(connection).fetch(values, None, connection)

    def rows(self, start: int, stop: int, **values: Any) -> list:
        """Rows start to stop (excluded) of the query, as list(queryset[start:stop]) would give
        them, with the same compiled SQL for every window. The function must return an ordered,
        unsliced queryset."""
        self._check(values)
        if not 0 <= start <= stop:
            raise ValueError(f"{self.__qualname__}: rows {start}..{stop} is no window.")
        connection = connections[self.using]
        kept = self._compiled(connection)
        query = kept.queryset.query
        if query.is_sliced or not kept.queryset.ordered:
            raise CompileError(
                f"{self.__qualname__}: rows() takes an ordered, unsliced query (a window of an "
                "unordered query is any rows at all)."
            )
        stop = min(stop, MAX_ROW)  # OFFSET and LIMIT are 64-bit integers in SQL
        if start >= stop:
            return []
        return kept.fetch(values, (start, stop), connection)

    def first(self, **values: Any) -> Any:
        """The first row, or None. It adds no LIMIT: slice in the function ([:1])."""
        rows = self.run(**values)
        return rows[0] if rows else None

    def _check(self, values: dict[str, Any]) -> None:
        if values.keys() != self.types.keys():
            raise TypeError(
                f"{self.__qualname__} takes {sorted(self.types)}, was given {sorted(values)}."
            )
        for name, value in values.items():
            kind = self.types[name]
            if (
                not isinstance(value, kind)
                or isinstance(value, bool)
                or (kind is date and isinstance(value, datetime))
            ):
                raise TypeError(
                    f"{self.__qualname__}: {name} must be a {kind.__name__}, not {value!r}."
                )
            if kind is datetime and timezone.is_aware(value) != settings.USE_TZ:
                # The ORM would warn and guess a time zone; here it is a mistake.
                raise ValueError(
                    f"{self.__qualname__}: {name} must be "
                    f"{'aware' if settings.USE_TZ else 'naive'} (USE_TZ={settings.USE_TZ})."
                )

    def _compiled(self, connection: BaseDatabaseWrapper) -> _Compiled:
        kept: dict[tuple[CompiledQuery, tzinfo | None], _Compiled] = connection.__dict__.setdefault(
            CONNECTION_ATTRIBUTE, {}
        )
        key = (self, timezone.get_current_timezone() if settings.USE_TZ else None)
        found = kept.get(key)
        if found is None or found.generation != _generation:
            found = kept[key] = self._compile(connection)
        return found

    def _compile(self, connection: BaseDatabaseWrapper) -> _Compiled:
        first, second = _sentinels(self.types, False), _sentinels(self.types, True)
        queryset, compiler, sql, params = self._compile_with(connection, first)
        other_queryset, _, other_sql, other_params = self._compile_with(connection, second)
        if sql != other_sql or len(params) != len(other_params):
            raise CompileError(
                f"{self.__qualname__}: the SQL depends on the parameters' values, so it cannot "
                f"be compiled once:\n{sql}\n{other_sql}"
            )
        adapters = {name: _adapters(kind, connection) for name, kind in self.types.items()}
        slots = []
        for position, (param, other) in enumerate(zip(params, other_params, strict=True)):
            if _payload(param) == _payload(other):
                continue  # a constant of the query
            slot = next(
                (
                    (position, name, adapt)
                    for name in self.types
                    for adapt in adapters[name]
                    if adapt(first[name]) == param and adapt(second[name]) == other
                ),
                None,
            )
            if slot is None:
                raise CompileError(
                    f"{self.__qualname__}: SQL parameter {position + 1} ({param!r}) changes "
                    "with the values but is no parameter as given: the ORM transformed one "
                    "(contains and startswith wrap it in %…%, iexact escapes it, a JSON "
                    "lookup encodes it), or the function computes it (pk + 1, now - delta), "
                    "or reads something that changes, such as the clock (live() without its "
                    "`at`). Compute in SQL, or pass the value the query needs."
                )
            slots.append(slot)
        unused = set(self.types) - {name for _, name, _ in slots}
        if unused:
            raise CompileError(f"{self.__qualname__}: the query never uses {sorted(unused)}.")
        if _prefetch_sql(queryset, connection) != _prefetch_sql(other_queryset, connection):
            raise CompileError(
                f"{self.__qualname__}: a prefetch_related() queryset depends on the parameters "
                "(or the clock); it would be frozen at its first compile. Prefetch separately."
            )
        columns = [column for column, _, _ in compiler.select[: compiler.col_count]]
        converters = compiler.get_converters(columns)
        prepare = (
            self.prepare
            and connection.vendor == "postgresql"
            and getattr(settings, "DB_PREPARED_STATEMENTS", False)
        )
        return _Compiled(
            _generation, queryset, compiler, sql, tuple(params), tuple(slots), converters, prepare
        )

    def _built(self, connection: BaseDatabaseWrapper, values: dict[str, Any]) -> QuerySet:
        queryset = self.build(**values)
        if not isinstance(queryset, QuerySet):
            raise CompileError(f"{self.__qualname__} must return a QuerySet, not {queryset!r}.")
        if queryset._db not in (None, connection.alias):
            raise CompileError(
                f"{self.__qualname__} reads database {queryset._db!r}, compiled for "
                f"{connection.alias!r}: pass using= to the CompiledQuery instead."
            )
        if queryset.query.select_for_update:
            raise CompileError(f"{self.__qualname__}: select_for_update() is not supported.")
        return queryset.using(connection.alias)

    def _compile_with(
        self, connection: BaseDatabaseWrapper, values: dict[str, Any]
    ) -> tuple[QuerySet, SQLCompiler, str, list]:
        queryset = self._built(connection, values)
        compiler = queryset.query.get_compiler(connection=connection)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:
            raise CompileError(
                f"{self.__qualname__}: the query matches nothing whatever the values "
                "(an empty __in, none()): nothing to compile."
            ) from None
        return queryset, compiler, sql, list(params)


def _prefetch_sql(queryset: QuerySet, connection: BaseDatabaseWrapper) -> list:
    """The SQL and parameters of the querysets of queryset's Prefetch()es, nested ones too, to
    tell whether they change with the values."""
    found = []
    for lookup in queryset._prefetch_related_lookups:
        if isinstance(lookup, Prefetch) and lookup.queryset is not None:
            try:
                sql, params = lookup.queryset.query.get_compiler(connection=connection).as_sql()
            except EmptyResultSet:
                sql, params = "", ()
            found.append((lookup.prefetch_to, sql, [_payload(p) for p in params]))
            found.append(_prefetch_sql(lookup.queryset, connection))
    return found


def compiled(*, using: str = DEFAULT_DB_ALIAS, prepare: bool = True, **parameter_types: type):
    """Decorator form of CompiledQuery: ``@compiled(now=datetime, pk=int)`` over the function
    that builds the queryset."""

    def decorate(build: Callable[..., QuerySet]) -> CompiledQuery:
        return CompiledQuery(build, using=using, prepare=prepare, **parameter_types)

    return decorate
