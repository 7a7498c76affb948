#!/usr/bin/env node
// Run publint (https://publint.dev) on package directories through its Node API and print the findings as JSON:
//   node tools/scripts/publint-json.mjs packages/core ...  ->  [{ pkg, messages: [{ type, code, text }] }]
// Used by tools/test/publish.spec.ts (publint is ESM-only; jest's VM cannot import it).
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import fs from 'node:fs';
import path from 'node:path';

const out = [];
for (const dir of process.argv.slice(2)) {
  const pkgDir = path.resolve(dir);
  const pkg = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8'));
  const { messages } = await publint({ pkgDir, level: 'suggestion', strict: false });
  out.push({
    pkg: pkg.name,
    messages: messages.map((m) => ({ type: m.type, code: m.code, text: (formatMessage(m, pkg) ?? m.code).replace(/\x1b\[[0-9;]*m/g, '') })),
  });
}
process.stdout.write(JSON.stringify(out) + '\n');
