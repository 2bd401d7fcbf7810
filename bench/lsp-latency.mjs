// The latency of `sparkplan lsp` after an edit, measured from the client side:
// node bench/lsp-latency.mjs SERVER WORKSPACE EDITS (run by bench/lsp.sh).
//
// Opens one campaign file of the corpus, then alternately breaks a post
// reference (SP008 in that file) and restores it, timing each didChange to
// the publishDiagnostics of that file. Every edit changes the file's
// diagnostics, so every edit is published.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const require = createRequire(join(process.env.NODE_PATH, 'x.js'));
const rpc = require('vscode-languageserver-protocol/node');

const [server, ws, editsArg] = process.argv.slice(2);
const edits = Number(editsArg || 40);
const rel = 'acme/campaigns/c_0007.yaml';
const uri = pathToFileURL(join(ws, rel)).href;
const good = readFileSync(join(ws, rel), 'utf8');
const m = /post: (\S+)/.exec(good);
if (!m) throw new Error(`no post reference in ${rel}`);
const bad = good.replace(m[0], `post: ${m[1]}_missing`);

// LSP_BENCH_NICE=-15 (as root) runs the server ahead of other work on a
// shared machine, to approach an idle one; the results say when it was used.
const nice = process.env.LSP_BENCH_NICE;
const proc = nice
  ? spawn('nice', ['-n', nice, server, 'lsp'], { cwd: ws, stdio: ['pipe', 'pipe', 'inherit'] })
  : spawn(server, ['lsp'], { cwd: ws, stdio: ['pipe', 'pipe', 'inherit'] });
const conn = rpc.createProtocolConnection(
  new rpc.StreamMessageReader(proc.stdout),
  new rpc.StreamMessageWriter(proc.stdin),
);
let waiting = null;
conn.onNotification(rpc.PublishDiagnosticsNotification.type, (p) => {
  if (waiting && p.uri === uri && waiting.pred(p.diagnostics)) {
    const w = waiting;
    waiting = null;
    w.res(performance.now());
  }
});
const steps = [];
conn.onNotification(rpc.LogMessageNotification.type, (p) => {
  const m = /checked in (\d+) ms: read and merge (\d+) ms, rules (\d+) ms, publish (\d+) ms/.exec(p.message);
  if (m) steps.push(m.slice(1).map(Number));
});
conn.listen();
const published = (pred) => new Promise((res) => { waiting = { pred, res }; });

const t0 = performance.now();
const first = published(() => true);
await conn.sendRequest(rpc.InitializeRequest.type, {
  processId: process.pid,
  rootUri: pathToFileURL(ws).href,
  workspaceFolders: [{ uri: pathToFileURL(ws).href, name: 'corpus' }],
  capabilities: {},
  initializationOptions: { today: '2026-11-29' },
});
conn.sendNotification(rpc.InitializedNotification.type, {});
const tFirst = await first;
conn.sendNotification(rpc.DidOpenTextDocumentNotification.type, {
  textDocument: { uri, languageId: 'yaml', version: 1, text: good },
});

// The server's CPU time (user + system, all threads), from /proc: on a shared
// machine wall time depends on the load, CPU time much less.
const cpuMs = () => {
  try {
    const f = readFileSync(`/proc/${proc.pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(f[11]) + Number(f[12])) * 10; // clock ticks of 10 ms
  } catch {
    return NaN;
  }
};
const load = () => {
  try {
    return readFileSync('/proc/loadavg', 'utf8').split(' ')[0];
  } catch {
    return '?';
  }
};

const times = [];
const cpu0 = cpuMs();
const steps0 = () => steps.length;
let stepsFrom = 0;
const load0 = load();
stepsFrom = steps0();
for (let i = 0; i < edits; i++) {
  const broken = i % 2 === 0;
  const done = published((d) => d.some((x) => x.code === 'SP008') === broken);
  const start = performance.now();
  conn.sendNotification(rpc.DidChangeTextDocumentNotification.type, {
    textDocument: { uri, version: i + 2 },
    contentChanges: [{ text: broken ? bad : good }],
  });
  times.push((await done) - start);
  // Like a person typing: a pause between edits.
  await new Promise((r) => setTimeout(r, 50));
}
const cpu = (cpuMs() - cpu0) / edits;
await conn.sendRequest(rpc.ShutdownRequest.type);
conn.sendNotification(rpc.ExitNotification.type);

times.sort((a, b) => a - b);
const med = (k) => {
  const v = steps.slice(stepsFrom).map((s) => s[k]).sort((a, b) => a - b);
  return v[Math.floor(v.length / 2)];
};
const q = (p) => times[Math.min(times.length - 1, Math.floor(p * times.length))];
const f = (x) => `${x.toFixed(0)} ms`;
console.log(`workspace loaded and first diagnostics published: ${f(tFirst - t0)}`);
console.log(`edit -> diagnostics of the edited file (${times.length} edits): median ${f(q(0.5))}, p90 ${f(q(0.9))}, max ${f(times[times.length - 1])}, min ${f(times[0])}`);
console.log(`inside the server (median): check ${med(0)} ms = read and merge ${med(1)} ms + rules ${med(2)} ms + publish ${med(3)} ms`);
console.log(`server CPU time per edit (all threads): ${f(cpu)}; load average ${load0} before, ${load()} after (${os.cpus().length} cores)${nice ? `; server run with nice ${nice}` : ''}`);
