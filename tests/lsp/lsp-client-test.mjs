// Proves `sparkplan lsp` with a real LSP client: the protocol library VS Code's
// own language client is built on (vscode-languageserver-protocol over
// vscode-jsonrpc) spawns the server over stdio, opens and edits files of a copy
// of examples/acme, and checks diagnostics (on the right lines, with rule
// links, cleared when fixed), definition across files, references,
// completion, hover, rename edits (and a refused rename), code actions,
// symbols, a malformed and a huge buffer, then shutdown and exit.
//
// Run: bash tests/lsp/run.sh   (npm ci, then node --test on this file)
// The server binary: $SPARKPLAN_BIN, else target/debug/sparkplan.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  InitializeRequest,
  InitializedNotification,
  DidOpenTextDocumentNotification,
  DidChangeTextDocumentNotification,
  PublishDiagnosticsNotification,
  DefinitionRequest,
  ReferencesRequest,
  CompletionRequest,
  HoverRequest,
  RenameRequest,
  CodeActionRequest,
  DocumentSymbolRequest,
  WorkspaceSymbolRequest,
  ShutdownRequest,
  ExitNotification,
} from 'vscode-languageserver-protocol/node';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '..', '..');
const bin =
  process.env.SPARKPLAN_BIN ||
  join(process.env.CARGO_TARGET_DIR || join(repo, 'target'), 'debug', 'sparkplan');

let ws; // the workspace folder (a copy of examples/acme)
let proc;
let conn;
let stderr = '';
const diagnostics = new Map(); // uri -> latest diagnostics
let waiters = [];

const uriOf = (rel) => pathToFileURL(join(ws, rel)).href;
const textOf = (rel) => readFileSync(join(ws, rel), 'utf8');
const versions = new Map();

// Resolves with the diagnostics of `rel` as soon as a publication satisfies `pred`.
function diagnosticsOf(rel, pred = () => true, ms = 10000) {
  const uri = uriOf(rel);
  const have = diagnostics.get(uri);
  if (have && pred(have)) return Promise.resolve(have);
  return new Promise((res, rej) => {
    const timer = setTimeout(
      () => rej(new Error(`no matching diagnostics for ${rel}; last: ${JSON.stringify(diagnostics.get(uri))}\n${stderr}`)),
      ms,
    );
    waiters.push({ uri, pred, res: (d) => { clearTimeout(timer); res(d); } });
  });
}

function open(rel, text = textOf(rel)) {
  versions.set(rel, 1);
  conn.sendNotification(DidOpenTextDocumentNotification.type, {
    textDocument: { uri: uriOf(rel), languageId: 'yaml', version: 1, text },
  });
}

function change(rel, text) {
  const v = (versions.get(rel) || 1) + 1;
  versions.set(rel, v);
  conn.sendNotification(DidChangeTextDocumentNotification.type, {
    textDocument: { uri: uriOf(rel), version: v },
    contentChanges: [{ text }],
  });
}

// The 0-based line and character of the first `needle` (after `after`, if given).
function pos(text, needle, after = '') {
  const from = after ? text.indexOf(after) : 0;
  const i = text.indexOf(needle, from);
  assert.ok(i >= 0, `${needle} not found`);
  const before = text.slice(0, i);
  const line = before.split('\n').length - 1;
  return { line, character: i - before.lastIndexOf('\n') - 1 };
}

// Applies LSP text edits to a text (edits do not overlap).
function applyEdits(text, edits) {
  const offset = (p) => {
    const lines = text.split('\n');
    let o = 0;
    for (let l = 0; l < p.line; l++) o += lines[l].length + 1;
    return o + p.character;
  };
  const sorted = [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start));
  for (const e of sorted) {
    text = text.slice(0, offset(e.range.start)) + e.newText + text.slice(offset(e.range.end));
  }
  return text;
}

before(async () => {
  ws = mkdtempSync(join(tmpdir(), 'sparkplan-lsp-'));
  cpSync(join(repo, 'examples', 'acme'), ws, { recursive: true });
  // sparkplan.toml is honoured: a lower file size limit for the huge-buffer test.
  appendFileSync(join(ws, 'sparkplan.toml'), '\n[limits]\nmax_file_bytes = 1000000\n');
  proc = spawn(bin, ['lsp'], { cwd: ws, stdio: ['pipe', 'pipe', 'pipe'] });
  proc.stderr.on('data', (c) => { stderr += c; });
  conn = createProtocolConnection(
    new StreamMessageReader(proc.stdout),
    new StreamMessageWriter(proc.stdin),
  );
  conn.onNotification(PublishDiagnosticsNotification.type, (p) => {
    diagnostics.set(p.uri, p.diagnostics);
    waiters = waiters.filter((w) => {
      if (w.uri === p.uri && w.pred(p.diagnostics)) {
        w.res(p.diagnostics);
        return false;
      }
      return true;
    });
  });
  conn.listen();
  const init = await conn.sendRequest(InitializeRequest.type, {
    processId: process.pid,
    rootUri: pathToFileURL(ws).href,
    workspaceFolders: [{ uri: pathToFileURL(ws).href, name: 'acme' }],
    capabilities: {},
    // Reproducible windows and days left: check as of this day.
    initializationOptions: { today: '2026-12-01' },
  });
  assert.equal(init.serverInfo.name, 'sparkplan');
  assert.equal(init.capabilities.definitionProvider, true);
  conn.sendNotification(InitializedNotification.type, {});
});

after(async () => {
  if (proc && proc.exitCode === null) proc.kill();
  if (ws) rmSync(ws, { recursive: true, force: true });
});

const campaign = 'campaigns/spring_launch.yaml';

test('a clean workspace publishes empty diagnostics for each manifest', async () => {
  const d = await diagnosticsOf(campaign);
  assert.deepEqual(d, []);
  assert.deepEqual(await diagnosticsOf('accounts.yaml'), []);
});

test('an undefined reference is reported on its line, with a link to the rule, and cleared when fixed', async () => {
  const good = textOf(campaign);
  open(campaign, good);
  const bad = good.replace('- post: sam_review', '- post: sam_reveiw');
  change(campaign, bad);
  const d = await diagnosticsOf(campaign, (d) => d.length > 0);
  assert.equal(d.length, 1, JSON.stringify(d));
  assert.equal(d[0].code, 'SP008');
  assert.equal(d[0].severity, 1);
  assert.equal(d[0].source, 'sparkplan');
  assert.equal(d[0].range.start.line, pos(bad, 'sam_reveiw').line);
  assert.equal(d[0].range.start.character, pos(bad, 'sam_reveiw').character);
  assert.match(d[0].codeDescription.href, /docs\/rules\/SP008\.md$/);
  assert.match(d[0].message, /did you mean `sam_review`/);
  change(campaign, good);
  assert.deepEqual(await diagnosticsOf(campaign, (d) => d.length === 0), []);
});

test('a rule across files: SP007 on a name defined twice, reported where the second one is', async () => {
  const media = 'media.yaml';
  const good = textOf(media);
  open(media, good);
  // `acme` is already an identity (accounts.yaml): one namespace.
  const bad = good.replace('holiday_cut:', 'acme:');
  change(media, bad);
  const d = await diagnosticsOf(media, (d) => d.some((x) => x.code === 'SP007'));
  const sp007 = d.find((x) => x.code === 'SP007');
  assert.equal(sp007.range.start.line, pos(bad, 'acme:').line);
  assert.ok(sp007.relatedInformation[0].location.uri.endsWith('accounts.yaml'));
  change(media, good);
  await diagnosticsOf(media, (d) => d.length === 0);
});

test('definition: from a post reference to the post in another file', async () => {
  const text = textOf(campaign);
  const loc = await conn.sendRequest(DefinitionRequest.type, {
    textDocument: { uri: uriOf(campaign) },
    position: pos(text, 'sam_review'),
  });
  assert.equal(loc.uri, uriOf('posts/creators.yaml'));
  assert.deepEqual(loc.range.start, pos(textOf('posts/creators.yaml'), 'sam_review:'));
});

test('definition: from an advertiser reference to the advertiser', async () => {
  const text = textOf(campaign);
  const loc = await conn.sendRequest(DefinitionRequest.type, {
    textDocument: { uri: uriOf(campaign) },
    position: pos(text, 'acme_us'),
  });
  assert.equal(loc.uri, uriOf('accounts.yaml'));
  assert.equal(loc.range.start.line, pos(textOf('accounts.yaml'), 'acme_us:').line);
});

test('references: every use of a post, across files', async () => {
  const locs = await conn.sendRequest(ReferencesRequest.type, {
    textDocument: { uri: uriOf('posts/creators.yaml') },
    position: pos(textOf('posts/creators.yaml'), 'jane_unboxing'),
    context: { includeDeclaration: true },
  });
  const files = locs.map((l) => l.uri.slice(pathToFileURL(ws).href.length + 1)).sort();
  assert.ok(files.includes('posts/creators.yaml'));
  assert.ok(files.includes(campaign));
  assert.ok(files.includes('campaigns/holiday_2026.yaml'));
});

test('completion after `post:` lists the posts, with creator and authorization end', async () => {
  const good = textOf(campaign);
  const typed = good.replace('              - post: jane_unboxing', '              - post: ja');
  change(campaign, typed);
  const p = pos(typed, '- post: ja');
  const items = await conn.sendRequest(CompletionRequest.type, {
    textDocument: { uri: uriOf(campaign) },
    position: { line: p.line, character: p.character + '- post: ja'.length },
  });
  const labels = items.map((i) => i.label);
  assert.ok(labels.includes('jane_unboxing'), labels.join(','));
  assert.ok(labels.includes('mia_photo'));
  assert.ok(!labels.includes('spring_teaser'), 'media is not a post');
  const jane = items.find((i) => i.label === 'jane_unboxing');
  assert.match(jane.detail, /authorized until 2027-11-19/);
  assert.equal(jane.textEdit.range.start.character, p.character + '- post: '.length);
  // After `media:`, media only.
  const m = pos(typed, '- media: spring_teaser');
  const media = await conn.sendRequest(CompletionRequest.type, {
    textDocument: { uri: uriOf(campaign) },
    position: { line: m.line, character: m.character + '- media: '.length },
  });
  assert.deepEqual(media.map((i) => i.label).sort(), ['holiday_cut', 'spring_teaser']);
  change(campaign, good);
  await diagnosticsOf(campaign, (d) => d.length === 0);
});

test('hover on a post reference: code, creator, window, days left, ad groups', async () => {
  const text = textOf(campaign);
  const h = await conn.sendRequest(HoverRequest.type, {
    textDocument: { uri: uriOf(campaign) },
    position: pos(text, 'jane_unboxing'),
  });
  const md = h.contents.value;
  assert.match(md, /post `jane_unboxing`/);
  assert.match(md, /#AbCdEf0123456789/);
  assert.match(md, /2026-11-20 to 2027-11-19/);
  assert.match(md, /days? left/);
  assert.match(md, /`spring_launch` \/ `us_ca`/);
});

test('hover on a rule code shows the rule documentation', async () => {
  const rel = 'posts/brand.yaml';
  const text = textOf(rel);
  const withAllow = text.replace('sparkplan: 1', 'sparkplan: 1\n# sparkplan-allow: SP204 known');
  open(rel, withAllow);
  const h = await conn.sendRequest(HoverRequest.type, {
    textDocument: { uri: uriOf(rel) },
    position: pos(withAllow, 'SP204'),
  });
  assert.match(h.contents.value, /## What it does/);
  change(rel, text);
});

test('rename: a name across files, and a name already taken refused', async () => {
  const edit = await conn.sendRequest(RenameRequest.type, {
    textDocument: { uri: uriOf('accounts.yaml') },
    position: pos(textOf('accounts.yaml'), 'acme_us:'),
    newName: 'acme_usa',
  });
  const files = Object.keys(edit.changes).map((u) => u.slice(pathToFileURL(ws).href.length + 1)).sort();
  assert.deepEqual(files, [
    'accounts.yaml',
    'campaigns/holiday_2026.yaml',
    'campaigns/spring_launch.yaml',
    'media.yaml',
    'posts/creators.yaml',
  ]);
  // Applied, the workspace is still clean.
  for (const [uri, edits] of Object.entries(edit.changes)) {
    const rel = uri.slice(pathToFileURL(ws).href.length + 1);
    const renamed = applyEdits(textOf(rel), edits);
    assert.ok(renamed.includes('acme_usa'));
    assert.ok(!/\bacme_us\b/.test(renamed), rel);
  }
  await assert.rejects(
    conn.sendRequest(RenameRequest.type, {
      textDocument: { uri: uriOf(campaign) },
      position: pos(textOf(campaign), 'sam_review'),
      newName: 'jane',
    }),
    /already taken by a identity|already taken/,
  );
});

test('symbols: the document outline and workspace search', async () => {
  const syms = await conn.sendRequest(DocumentSymbolRequest.type, {
    textDocument: { uri: uriOf(campaign) },
  });
  assert.equal(syms[0].name, 'spring_launch');
  assert.equal(syms[0].children[0].name, 'us_ca');
  assert.deepEqual(syms[0].children[0].children.map((c) => c.name), ['teas', 'teaser']);
  const found = await conn.sendRequest(WorkspaceSymbolRequest.type, { query: 'jane' });
  assert.deepEqual(found.map((s) => s.name).sort(), ['jane', 'jane_duet', 'jane_unboxing']);
});

test('code actions come from the diagnostics\' fixes, and applying one clears the diagnostic', async () => {
  const rel = 'posts/creators.yaml';
  const good = textOf(rel);
  open(rel, good);
  // SP009: an unquoted caption followed by a hashtag comment.
  const bad = good.replace('caption: "5 teas, 1 kettle"', 'caption: 5 teas #tea #kettle');
  change(rel, bad);
  const d = await diagnosticsOf(rel, (d) => d.some((x) => x.code === 'SP009'));
  const sp009 = d.find((x) => x.code === 'SP009');
  assert.equal(sp009.range.start.line, pos(bad, '#tea').line);
  const actions = await conn.sendRequest(CodeActionRequest.type, {
    textDocument: { uri: uriOf(rel) },
    range: sp009.range,
    context: { diagnostics: [sp009] },
  });
  assert.ok(actions.length >= 1, 'SP009 offers a fix');
  assert.equal(actions[0].kind, 'quickfix');
  assert.equal(actions[0].diagnostics[0].code, 'SP009');
  const fixed = applyEdits(bad, actions[0].edit.changes[uriOf(rel)]);
  change(rel, fixed);
  await diagnosticsOf(rel, (d) => !d.some((x) => x.code === 'SP009'));
  change(rel, good);
  await diagnosticsOf(rel, (d) => d.length === 0);
});

test('a malformed buffer is reported and the server keeps serving', async () => {
  const rel = 'media.yaml';
  const good = textOf(rel);
  change(rel, 'sparkplan: 1\nmedia: [unclosed\n  "x: {\n\t- ]]]\n');
  const d = await diagnosticsOf(rel, (d) => d.some((x) => x.code === 'SP001'));
  assert.ok(d.length >= 1);
  // Still answers.
  const loc = await conn.sendRequest(DefinitionRequest.type, {
    textDocument: { uri: uriOf(campaign) },
    position: pos(textOf(campaign), 'sam_review'),
  });
  assert.equal(loc.uri, uriOf('posts/creators.yaml'));
  change(rel, good);
  await diagnosticsOf(rel, (d) => d.length === 0);
});

test('a huge buffer is refused with SP013 (the limit of sparkplan.toml), and the server keeps serving', async () => {
  const rel = 'media.yaml';
  const good = textOf(rel);
  change(rel, 'sparkplan: 1\n# ' + 'x'.repeat(4 * 1000 * 1000) + '\n');
  const d = await diagnosticsOf(rel, (d) => d.some((x) => x.code === 'SP013'), 30000);
  assert.equal(d[0].range.start.line, 0);
  assert.match(d[0].message, /larger than 1000000 bytes/);
  change(rel, good);
  await diagnosticsOf(rel, (d) => d.length === 0, 30000);
});

test('shutdown and exit', async () => {
  await conn.sendRequest(ShutdownRequest.type);
  const exited = new Promise((res) => proc.on('exit', (code) => res(code)));
  conn.sendNotification(ExitNotification.type);
  assert.equal(await exited, 0);
});
