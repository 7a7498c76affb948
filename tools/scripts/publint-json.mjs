#!/usr/bin/env node
// Run publint (https://publint.dev) on package directories through its Node API and print the findings as JSON:
//   node tools/scripts/publint-json.mjs packages/core ...  ->  [{ pkg, messages: [{ type, code, text }] }]
// The packages are packed by one `npm pack -w ...` call (publint's own packing spawns npm once per package,
// several times slower on a loaded machine) and publint reads each tarball.
// Used by tools/test/publish.spec.ts (publint is ESM-only; jest's VM cannot import it).
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const dirs = process.argv.slice(2).map((d) => path.relative(root, path.resolve(d)));
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'nnsym-publint-'));
try {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const packed = JSON.parse(execFileSync(npm, ['pack', '--json', '--pack-destination', tmp, ...dirs.flatMap((d) => ['-w', d])], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
  const out = [];
  for (const p of packed) {
    const buf = fs.readFileSync(path.join(tmp, p.filename));
    const tarball = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength);
    const { messages, pkg } = await publint({ pack: { tarball }, level: 'suggestion', strict: false });
    out.push({
      pkg: p.name,
      messages: messages.map((m) => ({ type: m.type, code: m.code, text: (formatMessage(m, pkg) ?? m.code).replace(/\x1b\[[0-9;]*m/g, '') })),
    });
  }
  process.stdout.write(JSON.stringify(out) + '\n');
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
