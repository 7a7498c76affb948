// Generators are unit-tested on a virtual Nx tree (fast); test/*.spec.ts are workspace checks (module
// boundaries through ESLint, publishability through npm pack + publint) that spawn real tools.
module.exports = { ...require('../jest.preset.js'), displayName: 'tools' };
