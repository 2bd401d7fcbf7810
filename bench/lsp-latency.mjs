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

const proc = spawn(server, ['lsp'], { cwd: ws, stdio: ['pipe', 'pipe', 'inherit'] });
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

const times = [];
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
await conn.sendRequest(rpc.ShutdownRequest.type);
conn.sendNotification(rpc.ExitNotification.type);

times.sort((a, b) => a - b);
const q = (p) => times[Math.min(times.length - 1, Math.floor(p * times.length))];
const f = (x) => `${x.toFixed(0)} ms`;
console.log(`workspace loaded and first diagnostics published: ${f(tFirst - t0)}`);
console.log(`edit -> diagnostics of the edited file (${times.length} edits): median ${f(q(0.5))}, p90 ${f(q(0.9))}, max ${f(times[times.length - 1])}, min ${f(times[0])}`);
