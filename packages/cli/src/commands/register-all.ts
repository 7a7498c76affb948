import type { Command } from 'commander';
import type { CliContext } from '../context';
import { registerList } from './list';
import { registerSample } from './sample';
import { registerKernel } from './kernel';
import { registerNtk } from './ntk';
import { registerNtkDrift, registerNtkSymmetry } from './ntk-symmetry';
import { registerCorrelators } from './correlators';
import { registerMerge } from './merge';
import { registerTrain } from './train';
import { registerExperiment } from './experiment';
import { registerReport } from './report';
import { registerIntertwiners } from './intertwiners';
import { registerCompare } from './compare';
import { registerStitch } from './stitch';
import { registerNoether } from './noether';
import { registerMeanfield } from './meanfield';
import { registerSymmetry } from './symmetry';
import { registerDemo } from './demo';

/** Every command of the CLI, one file each. */
export function registerCommands(program: Command, ctx: () => CliContext): void {
  registerList(program, ctx);
  registerSample(program, ctx);
  registerKernel(program, ctx);
  registerNtk(program, ctx);
  registerNtkSymmetry(program, ctx);
  registerNtkDrift(program, ctx);
  registerCorrelators(program, ctx);
  registerMerge(program, ctx);
  registerTrain(program, ctx);
  registerExperiment(program, ctx);
  registerReport(program, ctx);
  registerIntertwiners(program, ctx);
  registerCompare(program, ctx);
  registerStitch(program, ctx);
  registerNoether(program, ctx);
  registerMeanfield(program, ctx);
  registerSymmetry(program, ctx);
  registerDemo(program, ctx);
}
