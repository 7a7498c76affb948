#!/usr/bin/env node
'use strict';
// `nnsym ... | head` closes stdout early: stop quietly instead of crashing with EPIPE.
process.stdout.on('error', (e) => {
  if (e && e.code === 'EPIPE') process.exit(process.exitCode || 0);
  throw e;
});
// main() returns the exit code (a command may ask for one through ctx.exitCode, e.g. 130 after Ctrl-C). Keep a
// non-zero process.exitCode that something set directly rather than overwriting it with 0.
require('../dist/main.js')
  .main(process.argv)
  .then((code) => {
    if (code !== 0 || !process.exitCode) process.exitCode = code;
  });
