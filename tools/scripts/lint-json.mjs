#!/usr/bin/env node
// Lint files with the workspace's eslint.config.mjs through ESLint's Node API and print the messages as JSON:
//   node tools/scripts/lint-json.mjs <file>...  ->  [{ filePath, messages: [{ ruleId, severity, message, line }] }]
// Used by tools/test/boundaries.spec.ts: ESLint loads its flat config with a dynamic import(), which jest's VM
// sandbox cannot run, so the lint runs in this child process instead.
import { ESLint } from 'eslint';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const eslint = new ESLint({ cwd: root, overrideConfigFile: path.join(root, 'eslint.config.mjs') });
const results = await eslint.lintFiles(process.argv.slice(2));
const out = results.map((r) => ({
  filePath: path.relative(root, r.filePath),
  messages: r.messages.map((m) => ({ ruleId: m.ruleId, severity: m.severity, message: m.message, line: m.line })),
}));
process.stdout.write(JSON.stringify(out) + '\n');
