/**
 * Index support for FerretDB 1.24's equality pushdown, on the local PostgreSQL only.
 *
 * FerretDB sends a filter's top-level equalities to PostgreSQL as jsonb containment,
 * `_jsonb -> 'creatorId' @> '"123"'`, while the indexes it creates itself are btree
 * indexes on `(_jsonb -> 'creatorId')`, which cannot answer `@>`: every lookup by `_id`
 * or by creator was a scan of the table in PostgreSQL, so a cleanup run cost O(commands)
 * per creator. A GIN index on the same expression answers `@>`. This adds one on `_id`
 * and one on `creatorId` to every FerretDB table, now and (through an event trigger) to
 * every table FerretDB creates later, and plans each statement with its values so that
 * the planner can use them. Without `fastupdate`: a GIN index's pending list (where
 * inserts wait for the next vacuum) is read linearly, which brought the scan back. MongoDB needs none of this: its own indexes serve equality.
 */
const FIELDS = ['_id', 'creatorId'];

/** Idempotent: run at every start of the cluster, in FerretDB's database. */
export const EQUALITY_INDEXES_SQL = `
CREATE OR REPLACE FUNCTION ferretdb_equality_index(tbl regclass) RETURNS void LANGUAGE plpgsql AS $fn$
DECLARE
  field text;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = tbl AND attname = '_jsonb' AND NOT attisdropped) THEN
    RETURN;
  END IF;
  FOREACH field IN ARRAY ARRAY[${FIELDS.map((f) => `'${f}'`).join(', ')}] LOOP
    EXECUTE format(
      'CREATE INDEX IF NOT EXISTS %I ON %s USING gin ((_jsonb -> %L)) WITH (fastupdate = off)',
      left(replace(tbl::text, '.', '_'), 48) || '_eq_' || md5(tbl::text || field)::varchar(8),
      tbl, field);
  END LOOP;
END
$fn$;

CREATE OR REPLACE FUNCTION ferretdb_equality_indexes_on_create() RETURNS event_trigger LANGUAGE plpgsql AS $fn$
DECLARE
  created record;
BEGIN
  FOR created IN SELECT objid FROM pg_event_trigger_ddl_commands() WHERE command_tag = 'CREATE TABLE' LOOP
    PERFORM ferretdb_equality_index(created.objid::regclass);
  END LOOP;
END
$fn$;

DO $do$
DECLARE
  existing record;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_event_trigger WHERE evtname = 'ferretdb_equality_indexes') THEN
    CREATE EVENT TRIGGER ferretdb_equality_indexes ON ddl_command_end WHEN TAG IN ('CREATE TABLE')
      EXECUTE FUNCTION ferretdb_equality_indexes_on_create();
  END IF;
  FOR existing IN
    SELECT c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  LOOP
    PERFORM ferretdb_equality_index(existing.oid::regclass);
  END LOOP;
  EXECUTE format('ALTER DATABASE %I SET plan_cache_mode = force_custom_plan', current_database());
END
$do$;
`;
