module.exports = { ...require('../../jest.preset.js'), displayName: 'weight-space' };
