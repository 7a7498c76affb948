#!/usr/bin/env node
// Lint source text as if it were a file of the workspace, with the workspace's eslint.config.mjs, through ESLint's
// Node API (`lintText` with a virtual `filePath`: nothing is written to disk, so no probe file can leak into a
// package or race a concurrent build or lint). Prints the messages as JSON:
//   node tools/scripts/lint-json.mjs '[{"filePath":"packages/core/src/probe.ts","code":"import ..."}]'
//   ->  [{ filePath, messages: [{ ruleId, severity, message, line }] }]
// Used by tools/test/boundaries.spec.ts: ESLint loads its flat config with a dynamic import(), which jest's VM
// sandbox cannot run, so the lint runs in this child process instead.
import { ESLint } from 'eslint';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const eslint = new ESLint({ cwd: root, overrideConfigFile: path.join(root, 'eslint.config.mjs') });
const inputs = JSON.parse(process.argv[2] ?? '[]');
const out = [];
for (const { filePath, code } of inputs) {
  const [r] = await eslint.lintText(code, { filePath: path.resolve(root, filePath) });
  out.push({ filePath, messages: (r?.messages ?? []).map((m) => ({ ruleId: m.ruleId, severity: m.severity, message: m.message, line: m.line })) });
}
process.stdout.write(JSON.stringify(out) + '\n');
