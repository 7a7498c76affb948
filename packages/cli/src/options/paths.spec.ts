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
  it('rewrites a message that starts with its field path to start with the flag (libraries name paths, not flags)', () => {
    const c = new Command('y').option('--inputs <spec>').option('--group <id>').option('--d-in <n>').option('--batch <B>');
    expect(messageWithFlag('inputs: malformed JSON (x)', c, 'inputs')).toBe('--inputs: malformed JSON (x)');
    expect(messageWithFlag('group so: SO(4) acts on R^4', c, 'group')).toBe('--group so: SO(4) acts on R^4');
    expect(messageWithFlag('dIn must be positive', c, 'dIn')).toBe('--d-in must be positive');
    expect(messageWithFlag('batchSize: too big', c, 'batchSize')).toBe('--batch: too big'); // the PATH_FLAGS table
    // A field the command has no flag for, or a message that does not start with the field, is left as it is.
    expect(messageWithFlag('threads must be a positive integer', c, 'threads')).toBe('threads must be a positive integer');
    expect(messageWithFlag('input 0 is bad', c, 'inputs')).toBe('input 0 is bad');
    expect(messageWithFlag('inputsX: no', c, 'inputs')).toBe('inputsX: no');
  });
  it('rewrites zod-style messages to name the flag the user typed (L5)', () => {
    expect(messageWithFlag('dataset "teacher-student": config.classes: Too small: expected number to be >=2', cmd)).toBe('--classes: Too small: expected number to be >=2');
    expect(messageWithFlag('dataset "idx": config.dir: Too small: expected string to have >=1 characters', cmd)).toBe('--dataset idx: dir: Too small: expected string to have >=1 characters');
    expect(messageWithFlag('config.sigmaW: must be >= 0', cmd)).toBe('--sigma-w: must be >= 0');
    expect(messageWithFlag('--width must be a positive integer', cmd)).toBe('--width must be a positive integer');
  });
});
