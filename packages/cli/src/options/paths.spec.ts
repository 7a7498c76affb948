import { Command } from 'commander';
import { flagOfPath, messageWithFlag } from './paths';

describe('option paths -> flags (one mapping for every library message)', () => {
  const cmd = new Command('x').option('--classes <n>').option('--sigma-w <s>').option('--dataset <id>');
  it('maps field paths to the flags of the command', () => {
    expect(flagOfPath('config.sigmaW')).toBe('--sigma-w');
    expect(flagOfPath('config')).toBe('--arch');
    expect(flagOfPath('arch.sigmaW', cmd)).toBe('--sigma-w');
    expect(flagOfPath('config.nope', cmd)).toBeUndefined();
  });
  it('rewrites zod-style messages to name the flag the user typed (L5)', () => {
    expect(messageWithFlag('dataset "teacher-student": config.classes: Too small: expected number to be >=2', cmd)).toBe('--classes: Too small: expected number to be >=2');
    expect(messageWithFlag('dataset "idx": config.dir: Too small: expected string to have >=1 characters', cmd)).toBe('--dataset idx: dir: Too small: expected string to have >=1 characters');
    expect(messageWithFlag('config.sigmaW: must be >= 0', cmd)).toBe('--sigma-w: must be >= 0');
    expect(messageWithFlag('--width must be a positive integer', cmd)).toBe('--width must be a positive integer');
  });
});
