// Interop: the DataStax Node.js driver (npm cassandra-driver 4.x) against `routelab serve`.
//
// Goal: a second real driver connects to live mode — version negotiation (it starts at DSE_V2
// and must settle on v4), discovery through system.local/system.peers (every node with its DC
// and rack), the token map, prepared statements, the server's token and replicas against its
// own Murmur3 and placement (and token(k) once the mock serves it), and node down/up.
// Method: start `routelab serve` on the interop scenario, connect with
// TokenAwarePolicy(DCAwareRoundRobinPolicy('dc1')), check, then SIGTERM the server.
// Exit 0 on success, 1 on a failed check or when the driver is not installed (a test that
// cannot run fails with its reason: scripts/setup.sh installs the driver).
// Usage: node interop_test.js ROUTELAB SCENARIO   (NODE_PATH must reach cassandra-driver)
'use strict';

const { spawn } = require('child_process');
const http = require('http');
const readline = require('readline');

const CANNOT_RUN = 1;
const TIMEOUT_MS = 55000;

let cassandra;
try {
  cassandra = require('cassandra-driver');
} catch (e) {
  console.log(`CANNOT RUN: npm cassandra-driver is not installed (scripts/setup.sh installs it) (NODE_PATH=${process.env.NODE_PATH || ''}): ${e.message}`);
  process.exit(CANNOT_RUN);
}

let failures = 0;
function check(ok, what) {
  console.log(`${ok ? 'ok:   ' : 'FAIL: '}${what}`);
  if (!ok) failures += 1;
  return ok;
}

// Another test run on this machine may be serving on 127.0.0.x:9042 right now: while the
// server exits with "Address already in use", retry for up to 30 s.
async function startServer(routelab, scenario) {
  const deadline = Date.now() + 30000;
  for (;;) {
    try {
      return await startServerOnce(routelab, scenario);
    } catch (e) {
      if (!e.addressBusy || Date.now() > deadline) throw e;
      console.log('routelab serve: addresses busy (another run?), retrying');
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
}

function startServerOnce(routelab, scenario) {
  const proc = spawn(routelab, ['serve', scenario, '--control-port', '0', '--duration', '60'],
                     { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not ready within 15 s:\n${lines.join('\n')}`)), 15000);
    const server = { proc, lines, nodes: [], controlPort: 0 };
    readline.createInterface({ input: proc.stdout }).on('line', (line) => {
      lines.push(line);
      if (line.startsWith('control ')) server.controlPort = Number(line.split(':')[2].split('/')[0]);
      if (line === 'ready') {
        clearTimeout(timer);
        resolve(server);
      }
    });
    proc.stderr.on('data', (chunk) => { lines.push(...String(chunk).trimEnd().split('\n')); });
    proc.on('close', (code) => {
      server.exitCode = code;
      clearTimeout(timer);
      const error = new Error(`routelab serve exited with ${code}:\n${lines.join('\n')}`);
      error.addressBusy = code === 3 && lines.some((l) => l.includes('Address already in use'));
      reject(error);
    });
  });
}

function getJson(port, path) {
  return new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, path, timeout: 5000 }, (res) => {
      let body = '';
      res.on('data', (chunk) => { body += chunk; });
      res.on('end', () => { try { resolve(JSON.parse(body)); } catch (e) { reject(e); } });
    }).on('error', reject);
  });
}

function stopServer(server) {
  return new Promise((resolve) => {
    if (server.exitCode !== undefined) return resolve(server.exitCode);
    server.proc.removeAllListeners('close');
    const kill = setTimeout(() => server.proc.kill('SIGKILL'), 5000);
    server.proc.on('close', (code, signal) => { clearTimeout(kill); resolve(code === null ? signal : code); });
    server.proc.kill('SIGTERM');
  });
}

function bigintKey(value) {
  const buffer = Buffer.alloc(8);
  buffer.writeBigInt64BE(BigInt(value));
  return buffer;
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function postJson(port, path) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, method: 'POST', timeout: 5000 }, (res) => {
      let body = '';
      res.on('data', (chunk) => { body += chunk; });
      res.on('end', () => { try { resolve(JSON.parse(body)); } catch (e) { reject(e); } });
    });
    req.on('error', reject);
    req.end();
  });
}

// Stops a dc1 node through the control endpoint while the application keeps reading: the
// driver marks it down (its pool closes), reads keep succeeding on the other replicas; after
// the start (and the server's STATUS_CHANGE UP) the driver marks it up again.
async function downAndUp(client, server, select) {
  const events = [];
  client.on('hostDown', (h) => events.push(`down ${h.address}`));
  client.on('hostUp', (h) => events.push(`up ${h.address}`));
  const victim = '127.0.0.3';
  const host = client.hosts.get(`${victim}:9042`);
  const name = (await getJson(server.controlPort, '/nodes')).nodes.find((n) => n.address === victim).name;
  const stopped = await postJson(server.controlPort, `/nodes/${name}/stop`);
  check(stopped.up === false, `control: POST /nodes/${name}/stop`);
  let reads = 0;
  let ok = 0;
  const deadline = Date.now() + 10000;
  while (Date.now() < deadline && (host.isUp() || reads < 30)) {
    try {
      const result = await client.execute(select, [cassandra.types.Long.fromNumber(reads % 7)],
                                          { prepare: true, isIdempotent: true });
      if (result.rowLength >= 0) ok += 1;
    } catch (e) {
      console.log(`read failed: ${e.message}`);
    }
    reads += 1;
    await sleep(10);
  }
  check(!host.isUp(), `the driver marks ${victim} down (events: ${events.join(', ')})`);
  check(ok === reads, `${ok} of ${reads} reads succeed while ${name} is down`);
  const started = await postJson(server.controlPort, `/nodes/${name}/start`);
  check(started.up === true, `control: POST /nodes/${name}/start`);
  const upBy = Date.now() + 20000;
  while (Date.now() < upBy && !host.isUp()) await sleep(100);
  check(host.isUp(), `the driver marks ${victim} up again (events: ${events.join(', ')})`);
}

// DDL with schema agreement, BATCH, paging through a clustered partition (automatic and
// with explicit page states) and lightweight transactions, through the npm driver.
async function schemaPagingLwtBatch(client) {
  await client.execute("CREATE KEYSPACE IF NOT EXISTS interop_js WITH replication = "
                       + "{'class': 'NetworkTopologyStrategy', 'dc1': 2, 'dc2': 1}");
  await client.execute('CREATE TABLE IF NOT EXISTS interop_js.events (day int, seq int, note text, PRIMARY KEY (day, seq))');
  await client.execute('CREATE TABLE IF NOT EXISTS interop_js.accounts (id int PRIMARY KEY, owner text, balance int)');
  const agreed = await client.metadata.checkSchemaAgreement();
  check(agreed, 'schema agreement after CREATE KEYSPACE/TABLE');
  const ks = await client.metadata.getTable('interop_js', 'events');
  check(ks && ks.clusteringKeys.length === 1 && ks.clusteringKeys[0].name === 'seq',
        'the new clustered table in the driver\'s metadata');

  const insert = 'INSERT INTO interop_js.events (day, seq, note) VALUES (?, ?, ?)';
  const queries = [];
  for (let seq = 0; seq < 150; seq += 1) queries.push({ query: insert, params: [7, seq, `n${seq}`] });
  for (let i = 0; i < queries.length; i += 50) {
    await client.batch(queries.slice(i, i + 50), { prepare: true, logged: i === 0 });
  }
  const count = await client.execute('SELECT seq FROM interop_js.events WHERE day = 7', [], { fetchSize: 1000 });
  check(count.rowLength === 150, `three BATCHes of 50 prepared inserts (logged and unlogged) applied (${count.rowLength} rows)`);

  const seen = [];
  await new Promise((resolve, reject) => {
    client.eachRow('SELECT seq FROM interop_js.events WHERE day = ?', [7], { prepare: true, fetchSize: 40, autoPage: true },
                   (n, row) => seen.push(row.seq), (err) => (err ? reject(err) : resolve()));
  });
  const inOrder = seen.length === 150 && seen.every((v, i) => v === i);
  check(inOrder, `eachRow with autoPage and fetchSize 40 returns every row once, in clustering order (${seen.length})`);
  let pageState;
  let pages = 0;
  const slice = [];
  do {
    const page = await client.execute('SELECT seq FROM interop_js.events WHERE day = ? AND seq >= ?', [7, 100],
                                      { prepare: true, fetchSize: 20, pageState });
    pages += 1;
    page.rows.forEach((r) => slice.push(r.seq));
    pageState = page.pageState;
  } while (pageState);
  check(pages === 3 && slice.length === 50 && slice[0] === 100 && slice[49] === 149,
        `a slice read with explicit page states: ${pages} pages, ${slice.length} rows`);

  const create = 'INSERT INTO interop_js.accounts (id, owner, balance) VALUES (?, ?, ?) IF NOT EXISTS';
  const first = await client.execute(create, [1, 'ada', 100], { prepare: true });
  const second = await client.execute(create, [1, 'bob', 5], { prepare: true });
  check(first.wasApplied() && !second.wasApplied() && second.first().owner === 'ada',
        'INSERT IF NOT EXISTS applies once; the loser sees the existing row');
  const move = 'UPDATE interop_js.accounts SET balance = ? WHERE id = ? IF balance = ?';
  const ok = await client.execute(move, [70, 1, 100], { prepare: true });
  const stale = await client.execute(move, [40, 1, 100], { prepare: true });
  check(ok.wasApplied() && !stale.wasApplied() && stale.first().balance === 70,
        'UPDATE IF balance = v applies on a match and reports the current balance otherwise');
  const serial = await client.execute('SELECT balance FROM interop_js.accounts WHERE id = 1', [],
                                      { consistency: cassandra.types.consistencies.serial });
  check(serial.first().balance === 70, 'a SERIAL read sees the committed LWT');
}

async function main() {
  const [routelab, scenario] = process.argv.slice(2);
  if (!routelab || !scenario) {
    console.error('usage: node interop_test.js ROUTELAB SCENARIO');
    return 2;
  }
  const version = require('cassandra-driver/package.json').version;
  console.log(`node ${process.version}, cassandra-driver ${version}`);

  let server;
  try {
    server = await startServer(routelab, scenario);
  } catch (e) {
    check(false, `start routelab serve: ${e.message}`);
    return 1;
  }
  const watchdog = setTimeout(() => {
    console.log(`FAIL: the test did not finish within ${TIMEOUT_MS / 1000} s`);
    server.proc.kill('SIGKILL');
    process.exit(1);
  }, TIMEOUT_MS);

  const lb = cassandra.policies.loadBalancing;
  const client = new cassandra.Client({
    contactPoints: ['127.0.0.1'],
    localDataCenter: 'dc1',
    policies: { loadBalancing: new lb.TokenAwarePolicy(new lb.DCAwareRoundRobinPolicy('dc1')) },
    socketOptions: { connectTimeout: 5000, readTimeout: 5000 },
  });
  try {
    const served = (await getJson(server.controlPort, '/nodes')).nodes;
    await client.connect();
    check(client.controlConnection.protocolVersion === 4,
          `protocol version settled on 4 (got ${client.controlConnection.protocolVersion})`);

    // Discovery: every node, with its DC and rack, and its tokens.
    const hosts = client.hosts.values();
    check(hosts.length === served.length, `discovered ${hosts.length} hosts of ${served.length}`);
    for (const node of served) {
      const host = client.hosts.get(`${node.address}:9042`);
      check(host !== undefined && host.datacenter === node.datacenter && host.rack === node.rack,
            `${node.name} ${node.address}: dc=${host && host.datacenter} rack=${host && host.rack}`);
      if (host) {
        const driverTokens = (host.tokens || []).slice().sort();
        const serverTokens = node.tokens.slice().sort();
        check(JSON.stringify(driverTokens) === JSON.stringify(serverTokens),
              `${node.address} reports its ${serverTokens.length} tokens`);
      }
    }
    const tokenCount = served.reduce((n, node) => n + node.tokens.length, 0);
    check(client.metadata.ring && client.metadata.ring.length === tokenCount,
          `token ring built with ${client.metadata.ring && client.metadata.ring.length} of ${tokenCount} tokens`);

    // Prepared statements on the scenario's table; the server's token and replicas for each
    // key against the driver's own Murmur3 and placement; token-aware routing.
    const insert = 'INSERT INTO routelab.kv (k, v) VALUES (?, ?)';
    const select = 'SELECT v FROM routelab.kv WHERE k = ?';
    const keys = ['0', '1', '-1', '42', '1099511627783', '-4611686018427387904', '9223372036854775807'];
    let readBack = 0;
    const tokenMismatch = [];
    const replicaMismatch = [];
    const offReplica = [];
    for (const key of keys) {
      const k = cassandra.types.Long.fromString(key);
      await client.execute(insert, [k, Buffer.from([1, 2, 3])], { prepare: true });
      const result = await client.execute(select, [k], { prepare: true });
      const row = result.first();
      if (row && row.v && Buffer.compare(row.v, Buffer.from([1, 2, 3])) === 0) readBack += 1;
      const serverView = await getJson(server.controlPort, `/replicas/routelab/${key}`);
      const expected = client.metadata.tokenizer.hash(bigintKey(key)).getValue().toString();
      if (serverView.token !== expected) tokenMismatch.push([key, serverView.token, expected]);
      const replicas = client.getReplicas('routelab', bigintKey(key)) || [];
      const driverReplicas = replicas.map((h) => h.address.split(':')[0]).sort();
      if (JSON.stringify(driverReplicas) !== JSON.stringify(serverView.replicas.slice().sort())) {
        replicaMismatch.push([key, driverReplicas, serverView.replicas]);
      }
      const local = replicas.filter((h) => h.datacenter === 'dc1').map((h) => h.address);
      if (!local.includes(result.info.queriedHost)) offReplica.push([key, result.info.queriedHost, local]);
    }
    check(readBack === keys.length, `${readBack}/${keys.length} prepared writes read back`);
    check(tokenMismatch.length === 0, `the server's token equals the driver's Murmur3 (${JSON.stringify(tokenMismatch)})`);
    check(replicaMismatch.length === 0, `the driver's replicas equal the server's (${JSON.stringify(replicaMismatch)})`);
    check(offReplica.length === 0, `token-aware routing sent every read to a dc1 replica (${JSON.stringify(offReplica)})`);

    // token(k) as a selector, once the mock serves it.
    try {
      const wrong = [];
      for (const key of keys) {
        const result = await client.execute('SELECT token(k) FROM routelab.kv WHERE k = ?',
                                            [cassandra.types.Long.fromString(key)], { prepare: true });
        const got = result.first() && result.first().values()[0];
        const expected = client.metadata.tokenizer.hash(bigintKey(key)).getValue().toString();
        if (!got || got.toString() !== expected) wrong.push([key, String(got), expected]);
      }
      check(wrong.length === 0, `SELECT token(k) equals the driver's Murmur3 (${JSON.stringify(wrong)})`);
    } catch (e) {
      if (!String(e.message).includes('not supported by the mock cluster')) throw e;
      console.log(`PENDING: SELECT token(k): the mock does not serve selector functions yet (${e.message})`);
    }

    await schemaPagingLwtBatch(client);
    await downAndUp(client, server, select);
  } catch (e) {
    check(false, `unexpected error: ${e.stack || e}`);
    console.log(server.lines.map((l) => `  | ${l}`).join('\n'));
  } finally {
    await client.shutdown().catch(() => {});
    const code = await stopServer(server);
    clearTimeout(watchdog);
    check(code === 0, `routelab serve exited cleanly on SIGTERM (${code})`);
  }
  console.log(`${failures ? 'FAILED' : 'PASSED'}: ${failures} failed check(s)`);
  return failures ? 1 : 0;
}

main().then((code) => process.exit(code), (e) => { console.error(e); process.exit(1); });
