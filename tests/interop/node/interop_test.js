// Interop: the DataStax Node.js driver (npm cassandra-driver 4.x) against `routelab serve`.
//
// Goal: a second real driver connects to live mode — version negotiation (it starts at DSE_V2
// and must settle on v4), discovery through system.local/system.peers (every node with its DC
// and rack), the token map, prepared statements, and token(pk) against its own Murmur3.
// Method: start `routelab serve` on the interop scenario, connect with
// TokenAwarePolicy(DCAwareRoundRobinPolicy('dc1')), check, then SIGTERM the server.
// Exit 0 on success, 1 on a failed check, 77 (CTest SKIP) if the driver is not installed.
// Usage: node interop_test.js ROUTELAB SCENARIO   (NODE_PATH must reach cassandra-driver)
'use strict';

const { spawn } = require('child_process');
const http = require('http');
const readline = require('readline');

const SKIP = 77;
const TIMEOUT_MS = 55000;

let cassandra;
try {
  cassandra = require('cassandra-driver');
} catch (e) {
  console.log(`SKIP: npm cassandra-driver is not installed (NODE_PATH=${process.env.NODE_PATH || ''}): ${e.message}`);
  process.exit(SKIP);
}

let failures = 0;
function check(ok, what) {
  console.log(`${ok ? 'ok:   ' : 'FAIL: '}${what}`);
  if (!ok) failures += 1;
  return ok;
}

function startServer(routelab, scenario) {
  const proc = spawn(routelab, ['serve', scenario, '--control-port', '0', '--duration', '60'],
                     { stdio: ['ignore', 'pipe', 'inherit'] });
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
    proc.on('exit', (code) => {
      server.exitCode = code;
      clearTimeout(timer);
      reject(new Error(`routelab serve exited with ${code}:\n${lines.join('\n')}`));
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
    server.proc.removeAllListeners('exit');
    const kill = setTimeout(() => server.proc.kill('SIGKILL'), 5000);
    server.proc.on('exit', (code, signal) => { clearTimeout(kill); resolve(code === null ? signal : code); });
    server.proc.kill('SIGTERM');
  });
}

function bigintKey(value) {
  const buffer = Buffer.alloc(8);
  buffer.writeBigInt64BE(BigInt(value));
  return buffer;
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
    check(client.metadata.tokenizer instanceof cassandra.metadata.Murmur3Tokenizer || client.metadata.tokenizer !== undefined,
          'token map built (tokenizer present)');

    // Prepared statements on the scenario's table.
    const insert = 'INSERT INTO routelab.kv (k, v) VALUES (?, ?)';
    const select = 'SELECT v, token(k) FROM routelab.kv WHERE k = ?';
    const keys = [0, 1, -1, 42, 1099511627783, '-4611686018427387904', '9223372036854775807'];
    let readBack = 0;
    const mismatched = [];
    for (const key of keys) {
      const k = cassandra.types.Long.fromString(String(key));
      await client.execute(insert, [k, Buffer.from([1, 2, 3])], { prepare: true });
      const result = await client.execute(select, [k], { prepare: true });
      const row = result.first();
      if (row && row.v && Buffer.compare(row.v, Buffer.from([1, 2, 3])) === 0) readBack += 1;
      const expected = client.metadata.tokenizer.hash(bigintKey(key));
      const got = row ? row['system.token(k)'] : undefined;
      if (!got || got.toString() !== expected.toString()) mismatched.push([String(key), String(got), String(expected)]);
      const replicas = client.getReplicas('routelab', bigintKey(key)) || [];
      const localReplicas = replicas.filter((h) => h.datacenter === 'dc1').map((h) => h.address);
      if (!localReplicas.includes(result.info.queriedHost)) {
        mismatched.push(['routing', String(key), result.info.queriedHost, localReplicas.join(',')]);
      }
    }
    check(readBack === keys.length, `${readBack}/${keys.length} prepared writes read back`);
    check(mismatched.length === 0,
          `token(k) equals the driver's Murmur3 and reads went to a dc1 replica (${JSON.stringify(mismatched)})`);
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
