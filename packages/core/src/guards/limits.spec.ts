import { CONFIRM_BYTES, LIMITS, checkMemory, checkPort, checkWork, formatBytes, safeCount } from './limits';

describe('resource guards', () => {
  it('accepts safe integers in range, in exponent notation too', () => {
    expect(safeCount('1e6', '--ensemble', { max: LIMITS.ensemble })).toBe(1e6);
    expect(safeCount('0', '--depth', { min: 0 })).toBe(0);
  });
  it('refuses huge, unsafe, fractional and empty counts naming the flag', () => {
    expect(() => safeCount('1e30', '--ensemble', { max: LIMITS.ensemble })).toThrow('--ensemble 1e30 is too large (max 1e12)');
    expect(() => safeCount('99999999999999999999', '--steps')).toThrow(/--steps 99999999999999999999 is too large/);
    expect(() => safeCount('2.5', '--width')).toThrow('--width must be a positive integer, got "2.5"');
    expect(() => safeCount('', '--width')).toThrow(/--width must be a positive integer/);
    expect(() => safeCount('-1', '--depth', { min: 0 })).toThrow(/non-negative/);
  });
  it('refuses allocations above the budget, and above the confirm threshold without --yes', () => {
    expect(() => checkMemory({ bytes: 4e10, what: 'x', flag: '--samples', budget: 1e10 })).toThrow(/--samples: this needs about 40.0 GB of memory \(x\), more than the 10.0 GB available: lower --samples/);
    expect(() => checkMemory({ bytes: CONFIRM_BYTES + 1, what: 'x', flag: '--width', budget: 1e12 })).toThrow(/pass --yes/);
    expect(() => checkMemory({ bytes: CONFIRM_BYTES + 1, what: 'x', flag: '--width', budget: 1e12, yes: true })).not.toThrow();
    expect(() => checkWork({ units: 1e13, limit: 1e12, unit: 'flops', flag: '--width' })).toThrow(/--yes/);
  });
  it('validates ports', () => {
    expect(checkPort('0', '--dashboard-port')).toBe(0);
    expect(checkPort('65535', '--dashboard-port')).toBe(65535);
    expect(() => checkPort('70000', '--dashboard-port')).toThrow('--dashboard-port must be a port 0..65535 (0 = any free port), got "70000"');
    expect(() => checkPort('1.5', '--dashboard-port')).toThrow(/port/);
  });
  it('formats bytes', () => {
    expect(formatBytes(1.5e9)).toBe('1.5 GB');
    expect(formatBytes(320e6)).toBe('320 MB');
  });
});
