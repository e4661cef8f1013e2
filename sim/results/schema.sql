-- routelab results database. One row in `runs` per `routelab run`; the other tables hang
-- off it by run_id. Created if missing by write_run (sim/results/sqlite_sink.cpp), which
-- embeds this file at build time. Unsigned 64-bit values (seed) are stored as the signed
-- integer with the same bits; hashes are 16 lower-case hex digits.
CREATE TABLE IF NOT EXISTS runs (
  run_id        INTEGER PRIMARY KEY AUTOINCREMENT,
  scenario_name TEXT    NOT NULL,
  scenario_path TEXT    NOT NULL,
  scenario_hash TEXT    NOT NULL,
  build         TEXT    NOT NULL,
  policy        TEXT    NOT NULL,
  seed          INTEGER NOT NULL,
  trace_hash    TEXT    NOT NULL,
  trace_events  INTEGER NOT NULL,
  events_run    INTEGER NOT NULL,
  simulated_s   REAL    NOT NULL,
  wall_s        REAL    NOT NULL,
  requests      INTEGER NOT NULL,
  completed     INTEGER NOT NULL,
  errors        INTEGER NOT NULL,
  timeouts      INTEGER NOT NULL,
  lost          INTEGER NOT NULL,
  verdict       TEXT    NOT NULL,
  p50_ns        INTEGER NOT NULL,
  p99_ns        INTEGER NOT NULL,
  p999_ns       INTEGER NOT NULL,
  max_ns        INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS windows (
  run_id    INTEGER NOT NULL REFERENCES runs(run_id),
  start_s   REAL    NOT NULL,
  requests  INTEGER NOT NULL,
  errors    INTEGER NOT NULL,
  timeouts  INTEGER NOT NULL,
  p50_ns    INTEGER NOT NULL,
  p90_ns    INTEGER NOT NULL,
  p99_ns    INTEGER NOT NULL,
  p999_ns   INTEGER NOT NULL,
  max_ns    INTEGER NOT NULL,
  PRIMARY KEY (run_id, start_s)
);

CREATE TABLE IF NOT EXISTS node_load (
  run_id     INTEGER NOT NULL REFERENCES runs(run_id),
  node       TEXT    NOT NULL,
  address    TEXT    NOT NULL,
  datacenter TEXT    NOT NULL,
  rack       TEXT    NOT NULL,
  requests   INTEGER NOT NULL,
  replica_ops    INTEGER NOT NULL DEFAULT 0,
  hints_stored   INTEGER NOT NULL DEFAULT 0,
  hints_replayed INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (run_id, node)
);

CREATE TABLE IF NOT EXISTS latency_histogram (
  run_id   INTEGER NOT NULL REFERENCES runs(run_id),
  upper_ns INTEGER NOT NULL,
  count    INTEGER NOT NULL,
  PRIMARY KEY (run_id, upper_ns)
);

-- Session affinity, when requests carried session keys: how many, and how many reached
-- the node that coordinated their session's previous request.
CREATE TABLE IF NOT EXISTS session_affinity (
  run_id         INTEGER PRIMARY KEY REFERENCES runs(run_id),
  sessions       INTEGER NOT NULL,
  keyed_requests INTEGER NOT NULL,
  same_node      INTEGER NOT NULL,
  moved          INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS fault_events (
  run_id      INTEGER NOT NULL REFERENCES runs(run_id),
  seq         INTEGER NOT NULL,
  start_s     REAL    NOT NULL,
  end_s       REAL    NOT NULL,
  description TEXT    NOT NULL,
  PRIMARY KEY (run_id, seq)
);

-- The run's checks (sim/checks), one row each in the order they ran; the run's verdict
-- is their conjunction. first_* are NULL for a check that held.
CREATE TABLE IF NOT EXISTS checks (
  run_id        INTEGER NOT NULL REFERENCES runs(run_id),
  seq           INTEGER NOT NULL,
  name          TEXT    NOT NULL,
  label         TEXT    NOT NULL,
  scope         TEXT    NOT NULL,
  client        TEXT    NOT NULL,
  verdict       TEXT    NOT NULL,
  measure       TEXT    NOT NULL,
  value         REAL    NOT NULL,
  limit_value   REAL    NOT NULL,
  value_text    TEXT    NOT NULL,
  limit_text    TEXT    NOT NULL,
  detail        TEXT    NOT NULL,
  first_at_s    REAL,
  first_request INTEGER,
  first_node    TEXT,
  PRIMARY KEY (run_id, seq)
);

-- Per-window breakdowns of the requests that ended in each window (as in `windows`).
CREATE TABLE IF NOT EXISTS window_errors (
  run_id   INTEGER NOT NULL REFERENCES runs(run_id),
  start_s  REAL    NOT NULL,
  kind     TEXT    NOT NULL,
  requests INTEGER NOT NULL,
  PRIMARY KEY (run_id, start_s, kind)
);

CREATE TABLE IF NOT EXISTS window_node_load (
  run_id   INTEGER NOT NULL REFERENCES runs(run_id),
  start_s  REAL    NOT NULL,
  node     TEXT    NOT NULL,
  attempts INTEGER NOT NULL,
  answered INTEGER NOT NULL,
  PRIMARY KEY (run_id, start_s, node)
);

CREATE TABLE IF NOT EXISTS window_attempts (
  run_id      INTEGER NOT NULL REFERENCES runs(run_id),
  start_s     REAL    NOT NULL,
  requests    INTEGER NOT NULL,
  attempts    INTEGER NOT NULL,
  retries     INTEGER NOT NULL,
  speculative INTEGER NOT NULL,
  in_flight_max INTEGER NOT NULL,
  PRIMARY KEY (run_id, start_s)
);

CREATE TABLE IF NOT EXISTS window_plan_positions (
  run_id   INTEGER NOT NULL REFERENCES runs(run_id),
  start_s  REAL    NOT NULL,
  position INTEGER NOT NULL,
  requests INTEGER NOT NULL,
  PRIMARY KEY (run_id, start_s, position)
);

-- One row per client application ([[clients]] in the scenario, or the one "default"):
-- its host, its operations (a paged read counts once) and their latency quantiles.
-- `errors` includes `timeouts` and `aborted` (in flight when its session closed at a stop
-- or restart); first/last_request_s are issue times from the workload's start (-1: none).
CREATE TABLE IF NOT EXISTS client_load (
  run_id          INTEGER NOT NULL REFERENCES runs(run_id),
  client          TEXT    NOT NULL,
  datacenter      TEXT    NOT NULL,
  rack            TEXT    NOT NULL,
  address         TEXT    NOT NULL,
  requests        INTEGER NOT NULL,
  completed       INTEGER NOT NULL,
  errors          INTEGER NOT NULL,
  timeouts        INTEGER NOT NULL,
  aborted         INTEGER NOT NULL,
  sessions        INTEGER NOT NULL,
  first_request_s REAL    NOT NULL,
  last_request_s  REAL    NOT NULL,
  p50_ns          INTEGER NOT NULL,
  p99_ns          INTEGER NOT NULL,
  p999_ns         INTEGER NOT NULL,
  max_ns          INTEGER NOT NULL,
  PRIMARY KEY (run_id, client)
);

-- The scenario file as read (its bytes, for reports and replays; the run's --set
-- overrides, one `KEY = VALUE` line each) and the configuration
-- the run resolved from it (defaults applied), as key/value pairs in a stable order.
CREATE TABLE IF NOT EXISTS scenario_source (
  run_id    INTEGER PRIMARY KEY REFERENCES runs(run_id),
  text      TEXT    NOT NULL,
  overrides TEXT    NOT NULL DEFAULT ''
);

CREATE TABLE IF NOT EXISTS configuration (
  run_id INTEGER NOT NULL REFERENCES runs(run_id),
  seq    INTEGER NOT NULL,
  key    TEXT    NOT NULL,
  value  TEXT    NOT NULL,
  PRIMARY KEY (run_id, seq)
);

-- The trace at every `[output].window_s` of simulated time (from time 0, start-up
-- included): the hash and count of every event before end_ns. `routelab replay` compares
-- them to find the window where two runs part.
CREATE TABLE IF NOT EXISTS trace_checkpoints (
  run_id       INTEGER NOT NULL REFERENCES runs(run_id),
  end_ns       INTEGER NOT NULL,
  trace_hash   TEXT    NOT NULL,
  trace_events INTEGER NOT NULL,
  PRIMARY KEY (run_id, end_ns)
);

-- Per window, per node and per client (as the window_* tables above: requests count in
-- the window they ended in; rows with nothing to count are left out).
CREATE TABLE IF NOT EXISTS window_node_latency (
  run_id   INTEGER NOT NULL REFERENCES runs(run_id),
  start_s  REAL    NOT NULL,
  node     TEXT    NOT NULL,
  requests INTEGER NOT NULL,
  p50_ns   INTEGER NOT NULL,
  p99_ns   INTEGER NOT NULL,
  p999_ns  INTEGER NOT NULL,
  max_ns   INTEGER NOT NULL,
  PRIMARY KEY (run_id, start_s, node)
);

CREATE TABLE IF NOT EXISTS window_client_load (
  run_id   INTEGER NOT NULL REFERENCES runs(run_id),
  start_s  REAL    NOT NULL,
  client   TEXT    NOT NULL,
  requests INTEGER NOT NULL,
  errors   INTEGER NOT NULL,
  p50_ns   INTEGER NOT NULL,
  p99_ns   INTEGER NOT NULL,
  p999_ns  INTEGER NOT NULL,
  max_ns   INTEGER NOT NULL,
  PRIMARY KEY (run_id, start_s, client)
);

CREATE TABLE IF NOT EXISTS window_shard_load (
  run_id     INTEGER NOT NULL REFERENCES runs(run_id),
  start_s    REAL    NOT NULL,
  node       TEXT    NOT NULL,
  shard      INTEGER NOT NULL,
  work       INTEGER NOT NULL,
  backlog_us REAL    NOT NULL,
  PRIMARY KEY (run_id, start_s, node, shard)
);

CREATE TABLE IF NOT EXISTS window_connections (
  run_id      INTEGER NOT NULL REFERENCES runs(run_id),
  start_s     REAL    NOT NULL,
  node        TEXT    NOT NULL,
  connections INTEGER NOT NULL,
  PRIMARY KEY (run_id, start_s, node)
);

CREATE TABLE IF NOT EXISTS window_affinity (
  run_id         INTEGER NOT NULL REFERENCES runs(run_id),
  start_s        REAL    NOT NULL,
  keyed_requests INTEGER NOT NULL,
  moved          INTEGER NOT NULL,
  PRIMARY KEY (run_id, start_s)
);

-- The driver's view against the truth: when nodes really stopped or started serving, and
-- when each client's driver marked them down or up. Seconds after the workload's start.
CREATE TABLE IF NOT EXISTS node_transitions (
  run_id INTEGER NOT NULL REFERENCES runs(run_id),
  seq    INTEGER NOT NULL,
  time_s REAL    NOT NULL,
  node   TEXT    NOT NULL,
  state  TEXT    NOT NULL,
  PRIMARY KEY (run_id, seq)
);

CREATE TABLE IF NOT EXISTS driver_node_marks (
  run_id            INTEGER NOT NULL REFERENCES runs(run_id),
  seq               INTEGER NOT NULL,
  client            TEXT    NOT NULL,
  node              TEXT    NOT NULL,
  time_s            REAL    NOT NULL,
  state             TEXT    NOT NULL,
  truth_s           REAL,
  detection_delay_s REAL,
  PRIMARY KEY (run_id, seq)
);
