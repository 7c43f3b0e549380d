"""Bronze -> silver as SQL: framing, type coercion, normalisation, PII redaction, reason codes.

Everything here is SQL text generated from the contract specs in `contracts.py`; the caller runs it on
DuckDB over a whole batch of bronze objects at once (vectorised: no Python loop per record).

The pipeline of relations, all keyed by (`_bronze_object`, `_record_no`):

1. `frame_sql`: the caller's `<objects>` relation (object key, decoded text, arrival epoch) becomes one
   row per record with its raw text and, where framing already failed, a reason (`malformed_json`,
   `bad_header`, ...).
2. `typed_sql`: every contract field is extracted as (JSON type, string) and coerced; every rule that
   fails adds a reason code.
3. Rows without reasons are accepted into silver; the others are quarantined with their raw payload.
"""

from __future__ import annotations

from shopware.transforms.contracts import MAX_FUTURE_S, MIN_EPOCH, Field, Kind, Source

_WS_CODES = (32, 9, 10, 11, 12, 13)
_WS = " || ".join(f"chr({c})" for c in _WS_CODES)
EMAIL_PATTERN = r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"
PHONE_PATTERN = r"\+?\(?\d[\d ().-]{5,}\d"
_NUMERIC_TYPES = "('BIGINT', 'UBIGINT', 'DOUBLE')"


def sql_literal(text: str) -> str:
    """A SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def _ident(name: str) -> str:
    """A quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def _strip(expr: str) -> str:
    return f"trim({expr}, {_WS})"


def _strip_edges(expr: str) -> str:
    """`_strip`, but only called for a value that starts or ends with a control or space character.

    Trimming a set of characters is several times slower than these character tests, and almost no
    value needs it. The last character is compared by `suffix`: cutting it out costs more than six
    comparisons.
    """
    last = " OR ".join(f"suffix({expr}, chr({c}))" for c in _WS_CODES)
    edges = f"ascii({expr}) <= 32 OR {last}"
    return f"(CASE WHEN {edges} THEN {_strip(expr)} ELSE {expr} END)"


def event_date_sql(epoch_expr: str) -> str:
    """The UTC calendar date of an epoch-seconds expression, independent of the session time zone."""
    return f"(DATE '1970-01-01' + CAST(floor({epoch_expr} / 86400) AS INTEGER))"


# --- 1. framing --------------------------------------------------------------------------------


def frame_sql(source: Source, lines: str, arrays: str, *, csv: bool = False) -> str:
    """One row per raw record.

    `lines` holds the non-blank lines of line-framed objects (`_bronze_object`, `_object_no`: a number
    unique to the object within `lines`, `_received_epoch`, `_record_no`, `raw`, and `_first`: whether
    the line is its object's first non-blank line);
    `arrays` holds whole objects that are JSON arrays (`_bronze_object`, `_received_epoch`, `text`).
    The result has `_bronze_object`, `_received_epoch`, `_record_no` (1-based line or array
    position), `raw`, `frame_reason` (null when the record is well framed) and, for CSV sources,
    `cells` and each field's position `p_i`.

    With `csv`, the lines are CSV: each object's first line is its header.
    """
    if csv:
        return _frame_csv(source, f"SELECT * FROM {lines}")
    # Each array is parsed once; a malformed one becomes one quarantined record. TRY alone tells it:
    # validating first cost a third of framing the arrays, and each array is a scan chunk of its own,
    # so TRY's row-by-row retry after an error touches that one array only.
    return f"""
        WITH parsed AS MATERIALIZED (
            SELECT _bronze_object, _received_epoch,
                   TRY(json_extract(text, '$[*]')) AS elems,
                   CASE WHEN elems IS NULL THEN text END AS text
            FROM {arrays}
        )
        SELECT _bronze_object, _received_epoch, _record_no, raw, NULL::VARCHAR AS frame_reason
        FROM {lines}
        UNION ALL
        SELECT _bronze_object, _received_epoch, generate_subscripts(elems, 1) AS _record_no,
               unnest(elems)::VARCHAR AS raw, NULL::VARCHAR AS frame_reason
        FROM parsed WHERE elems IS NOT NULL
        UNION ALL
        SELECT _bronze_object, _received_epoch, 1 AS _record_no, text AS raw,
               'malformed_json' AS frame_reason
        FROM parsed WHERE elems IS NULL
    """


def _frame_csv(source: Source, lines: str) -> str:
    """CSV framing: the first non-blank line of an object (`_first`) is its header, matched by name.

    Each field's position in its object's header (`p_i`) is looked up once per object, and joined to
    its lines by `_object_no` (joining by the object's key, a long string, took a third of the CPU).
    """
    header_cells = f"list_transform(string_split(raw, ','), c -> lower({_strip('c')}))"
    required = ", ".join(sql_literal(f.name) for f in source.fields)
    positions = ", ".join(
        f"list_position(header, {sql_literal(f.name)}) AS p_{i}" for i, f in enumerate(source.fields)
    )
    return f"""
        WITH headers AS (
            SELECT _object_no, len(header) AS _width, list_has_all(header, [{required}]) AS _complete,
                   {positions}
            FROM (SELECT _object_no, {header_cells} AS header FROM ({lines}) WHERE _first)
        )
        SELECT n._bronze_object, n._received_epoch, n._record_no, n.raw, h.* EXCLUDE (_object_no),
               string_split(n.raw, ',') AS cells,
               CASE
                   WHEN NOT h._complete THEN 'bad_header'
                   WHEN len(cells) <> h._width THEN 'malformed_csv'
               END AS frame_reason
        FROM ({lines}) n JOIN headers h USING (_object_no)
        WHERE NOT n._first
    """


# --- 2. typing and validation ------------------------------------------------------------------
#
# Three projections, each computed once per row and read by the next: (a) per field `t_i` (the JSON
# type name, 'VARCHAR' for CSV cells) and `s_i` (its text, trimmed); (b) `d_i`, the text parsed as a
# double, for numeric fields; (c) the coerced value `v_i`. The reasons are then checked on those.


def extract_sql(source: Source, framed: str, *, csv: bool = False) -> str:
    """Per field `i`: `t_i` and `s_i` (trimmed text; null when the value is JSON null or absent)."""
    if csv:
        cols = []
        for i in range(len(source.fields)):
            pos = f"p_{i}"
            cell = f"cells[{pos}]"
            strip_quotes = f"regexp_replace({cell}, '^\\s*\"(.*)\"\\s*$', '\\1')"
            unquoted = f"CASE WHEN strpos({cell}, '\"') > 0 THEN {strip_quotes} ELSE {cell} END"
            cols.append(f"CASE WHEN {pos} IS NOT NULL THEN 'VARCHAR' END AS t_{i}")
            cols.append(f"{_strip_edges(unquoted)} AS s_{i}")
        framing = ", ".join(["cells", "_width", "_complete", *(f"p_{i}" for i in range(len(source.fields)))])
        return f"SELECT * EXCLUDE ({framing}), {', '.join(cols)} FROM ({framed})"
    as_text = sql_literal("{" + ", ".join(f'"{f.name}": "VARCHAR"' for f in source.fields) + "}")
    # Validated first: a record that is not valid JSON yields null instead of failing the batch
    # (json_valid is a fast validator, cheaper than TRY catching errors; TRY stays as a guard). Only
    # null results are checked again to tell malformed JSON from valid JSON. Valid JSON that is not
    # an object (an array, a string, a number) yields a struct of nulls: only records without any
    # contract field are checked for an opening brace.
    all_fields = ", ".join(f"vs.{_ident(f.name)}" for f in source.fields)
    parsed = f"""
        SELECT *,
            CASE WHEN frame_reason IS NOT NULL THEN frame_reason
                 WHEN vs IS NULL AND NOT json_valid(raw) THEN 'malformed_json'
                 WHEN vs IS NULL OR (coalesce({all_fields}) IS NULL
                                     AND NOT starts_with(ltrim(raw, {_WS}), '{{')) THEN 'not_an_object'
            END AS frame_reason2
        FROM (
            SELECT *, CASE WHEN frame_reason IS NULL AND json_valid(raw)
                           THEN TRY(json_transform(raw, {as_text})) END AS vs
            FROM ({framed})
        )
    """
    # One JSON parse per record gives every field as text (strings decoded, numbers as written). Only
    # a value whose text could be a boolean, object or array is parsed again for its JSON type, which
    # decides between a string and an invalid value.
    cols = []
    for i, f in enumerate(source.fields):
        value = f"vs.{_ident(f.name)}"
        path = sql_literal(f'$."{f.name}"')
        # ascii(): 116 't', 102 'f', 123 '{', 91 '[' (a cheap test before comparing strings).
        first = f"ascii({value})"
        literal = f"{value} IN ('true', 'false')"
        ambiguous = f"{first} IN (116, 102, 123, 91) AND ({literal} OR {first} IN (123, 91))"
        cols.append(
            f"CASE WHEN {value} IS NULL THEN NULL "
            f"WHEN {ambiguous} THEN json_type(raw, {path}) "
            f"ELSE 'VARCHAR' END AS t_{i}"
        )
        cols.append(f"{_strip_edges(value)} AS s_{i}")
    return f"""
        SELECT * EXCLUDE (frame_reason, frame_reason2, vs), frame_reason2 AS frame_reason, {", ".join(cols)}
        FROM ({parsed})
    """


def _is_null(i: int) -> str:
    return f"(t_{i} IS NULL OR t_{i} = 'NULL' OR (t_{i} = 'VARCHAR' AND s_{i} = ''))"


def _text(i: int) -> str:
    """The text of a string (or number) value, else null."""
    return f"CASE WHEN t_{i} = 'VARCHAR' OR t_{i} IN {_NUMERIC_TYPES} THEN nullif(s_{i}, '') END"


def _number_sql(f: Field, i: int) -> str | None:
    """`d_i`: the value parsed as a double, for numeric fields (null if not numeric)."""
    if f.kind not in (Kind.INT, Kind.FLOAT, Kind.EPOCH):
        return None
    return f"CASE WHEN t_{i} IN {_NUMERIC_TYPES} OR t_{i} = 'VARCHAR' THEN TRY_CAST(s_{i} AS DOUBLE) END"


def _value_sql(f: Field, i: int) -> str:
    """The coerced value of field `i`, or null when it is null or invalid."""
    d = f"d_{i}"
    if f.kind is Kind.INT:
        # Integral and exactly representable: from the double; larger integers only as digit strings.
        return f"""(CASE WHEN NOT isfinite({d}) OR {d} <> floor({d}) THEN NULL
            WHEN abs({d}) < 9007199254740992 THEN CAST({d} AS BIGINT)
            WHEN regexp_full_match(s_{i}, '[+-]?[0-9]+') THEN TRY_CAST(s_{i} AS BIGINT) END)"""
    if f.kind in (Kind.FLOAT, Kind.EPOCH):
        return f"(CASE WHEN isfinite({d}) THEN {d} END)"
    text = _text(i)
    if f.kind is Kind.STRING:
        return text
    if f.kind is Kind.CLOSED_ENUM or f.kind is Kind.OPEN_ENUM:
        cases = " ".join(f"WHEN {sql_literal(v.lower())} THEN {sql_literal(v)}" for v in f.values)
        fallback = "NULL" if f.kind is Kind.CLOSED_ENUM else _title_case(text)
        return f"(CASE lower({text}) {cases} ELSE {fallback} END)"
    if f.kind is Kind.PAGE:
        cut = f"regexp_replace({text}, '[?#].*$', '')"
        path = f"(CASE WHEN regexp_matches({text}, '[?#]') THEN {cut} ELSE {text} END)"
        single_slash = f"starts_with({path}, '/') AND NOT starts_with({path}, '//')"
        return f"(CASE WHEN {single_slash} THEN {path} ELSE '/' || ltrim({path}, '/') END)"
    if f.kind is Kind.REDACTED_TEXT:
        replaced = f"regexp_replace({text}, {sql_literal(EMAIL_PATTERN)}, '[email]', 'g')"
        email = f"(CASE WHEN strpos({text}, '@') > 0 THEN {replaced} ELSE {text} END)"
        # Finding a match is cheaper than replacing none: most texts hold no phone number.
        phone = sql_literal(PHONE_PATTERN)
        redacted = f"regexp_replace({email}, {phone}, '[phone]', 'g')"
        return f"(CASE WHEN regexp_matches({email}, {phone}) THEN {redacted} ELSE {email} END)"
    raise ValueError(f"unhandled kind {f.kind}")


def _title_case(text: str) -> str:
    words = f"string_split(lower({text}), ' ')"
    return f"array_to_string(list_transform({words}, w -> upper(left(w, 1)) || substr(w, 2)), ' ')"


def _invalid_code(f: Field) -> str:
    return {
        Kind.INT: f"invalid_int:{f.name}",
        Kind.FLOAT: f"invalid_float:{f.name}",
        Kind.EPOCH: "invalid_timestamp",
        Kind.CLOSED_ENUM: f"unknown_{f.name}",
    }.get(f.kind, f"invalid_string:{f.name}")


def _field_reasons(f: Field, i: int) -> list[tuple[str, str]]:
    """(condition, reason code) pairs of field `i`, evaluated on the typed relation."""
    value = f"v_{i}"
    reasons = []
    if not f.nullable:
        reasons.append((f"n_{i}", f"missing_field:{f.name}"))
    reasons.append((f"NOT n_{i} AND {value} IS NULL", _invalid_code(f)))
    if f.kind is Kind.EPOCH:
        bad = f"{value} < {MIN_EPOCH} OR {value} > _received_epoch + {MAX_FUTURE_S}"
        reasons.append((f"{value} IS NOT NULL AND ({bad})", "invalid_timestamp"))
    bounds = []
    if f.minimum is not None:
        bounds.append(f"{value} < {f.minimum}")
    if f.maximum is not None:
        bounds.append(f"{value} > {f.maximum}")
    if bounds:
        reasons.append((f"{value} IS NOT NULL AND ({' OR '.join(bounds)})", f"out_of_range:{f.name}"))
    return reasons


def _cross_field_reasons(source: Source, names: dict[str, str]) -> list[tuple[str, str]]:
    """Rules that involve several fields."""
    if source.name == "pos":
        discount, revenue = names["discount_applied"], names["revenue"]
        return [
            (
                f"{discount} IS NOT NULL AND {revenue} IS NOT NULL AND {discount} > {revenue}",
                "out_of_range:discount_applied",
            )
        ]
    return []


def typed_sql(source: Source, framed: str, *, csv: bool = False) -> str:
    """Coerced fields and `reasons` (empty list = accepted), one row per framed record."""
    return validate_sql(source, f"({extract_sql(source, framed, csv=csv)})")


def validate_sql(source: Source, extracted: str) -> str:
    """Coerced fields, `reasons` and `event_date` of the relation `extracted` (the output of
    `extract_sql`)."""
    fields = list(enumerate(source.fields))
    numbers = [f"{sql} AS d_{i}" for i, f in fields if (sql := _number_sql(f, i)) is not None]
    nulls = [f"{_is_null(i)} AS n_{i}" for i, _f in fields]
    values = ", ".join(f"{_value_sql(f, i)} AS v_{i}" for i, f in fields)
    names = {f.name: f"v_{i}" for i, f in fields}
    checks: list[tuple[str, str]] = []
    for i, f in fields:
        checks.extend(_field_reasons(f, i))
    checks.extend(_cross_field_reasons(source, names))
    reason_list = ", ".join(f"CASE WHEN {cond} THEN {sql_literal(code)} END" for cond, code in checks)
    # The list is built only for the few records that break a rule: building and filtering a list
    # per record costs more than testing the conditions twice. The test is a conjunction of negated
    # rules (DuckDB narrows the rows an AND chain evaluates; 2-4 % less CPU than an OR of the rules);
    # a rule that yields null sends its record to the list, where it adds no reason.
    none_broken = " AND ".join(f"NOT ({cond})" for cond, _ in checks)
    reasons = f"""CASE WHEN frame_reason IS NOT NULL THEN [frame_reason]
        WHEN {none_broken} THEN []::VARCHAR[]
        ELSE list_filter([{reason_list}], r -> r IS NOT NULL) END"""
    out_cols = ", ".join(f"CAST(v_{i} AS {f.sql_type}) AS {f.name}" for i, f in fields)
    event_date = ""
    if source.event_time is not None:
        event_date = f", {event_date_sql(source.event_time)} AS event_date"
    return f"""
        SELECT *{event_date}
        FROM (
            SELECT _bronze_object, _record_no, raw, {reasons} AS reasons, {out_cols}
            FROM (
                SELECT *, {values}
                FROM (SELECT *, {", ".join(numbers + nulls)} FROM {extracted})
            )
        )
    """


def silver_columns(source: Source) -> list[tuple[str, str]]:
    """(name, SQL type) of a source's silver table, in order."""
    cols = [(f.name, f.sql_type) for f in source.fields]
    if source.event_time is not None:
        cols.append(("event_date", "DATE"))
    cols += [("_bronze_object", "VARCHAR"), ("_record_no", "BIGINT")]
    return cols


def accepted_sql(source: Source, typed: str) -> str:
    """Accepted records of a typed relation as silver rows."""
    names = ", ".join(name for name, _ in silver_columns(source))
    return f"SELECT {names} FROM {typed} WHERE len(reasons) = 0"


def quarantined_sql(source: Source, typed: str) -> str:
    """Quarantined records of a typed relation: raw payload, source, bronze object, reasons."""
    return f"""
        SELECT {sql_literal(source.name)} AS source, _bronze_object AS bronze_object, _record_no AS record_no,
               raw AS raw_payload, reasons
        FROM {typed} WHERE len(reasons) > 0
    """


def dedup_sql(source: Source, relation: str) -> str:
    """One row per record key: the one ingested last (latest bronze object, then latest record).

    A composite key is compared field by field (NULL equals NULL, as `sources.md`'s "exact repeat"
    means).
    """
    key = ", ".join(source.key)
    # No digest of the key is stored with the row: computing and writing an MD5 of the fields took a
    # fifth of validating web events and two thirds of their silver bytes.
    # Only keys that occur more than once are ranked: a window over every row would sort them all,
    # while repeats are few. A composite key is first narrowed by a 64-bit hash of its fields (equal
    # keys have equal hashes); rows that share a hash are then ranked by the fields themselves, so a
    # hash collision costs a little time, never a record. Not materialised: copying every row costs
    # more than scanning twice.
    probe = source.key[0] if len(source.key) == 1 else "_key_hash"
    hashed = f", hash({key}) AS _key_hash" if len(source.key) > 1 else ""
    drop = " EXCLUDE (_key_hash)" if hashed else ""
    return f"""
        WITH candidates AS NOT MATERIALIZED (SELECT *{hashed} FROM {relation}),
        repeated AS (SELECT {probe} FROM candidates GROUP BY {probe} HAVING count(*) > 1)
        SELECT *{drop} FROM candidates WHERE {probe} NOT IN (SELECT {probe} FROM repeated)
        UNION ALL
        SELECT *{drop} FROM (SELECT * FROM candidates WHERE {probe} IN (SELECT {probe} FROM repeated))
        QUALIFY row_number() OVER (PARTITION BY {key} ORDER BY _bronze_object DESC, _record_no DESC) = 1
    """
