import { heatmap } from '../../plots/heatmap';
import type { ReportBlock, ReportRenderer } from '../types';
import { eventSections } from './event-sections';
import { isNumberMatrix } from './util';

/** Labels x_i = (a, b, ...) of the inputs, when they are short. */
function inputLabels(inputs: unknown, n: number): string[] | undefined {
  if (!Array.isArray(inputs) || inputs.length !== n) return undefined;
  const labels = inputs.map((x, i) => {
    const v = Array.isArray(x) ? x : [x];
    const s = v.map((a) => (typeof a === 'number' ? String(Number(a.toPrecision(3))) : String(a))).join(', ');
    return s.length <= 18 ? `x${i} (${s})` : `x${i}`;
  });
  return labels;
}

/**
 * `nnsym kernel` / `nnsym ntk`: the NNGP kernel K(x_i, x_j) and the NTK Θ(x_i, x_j) as heatmaps over the inputs,
 * plus the notes the kernel code attached (method, output structure).
 */
export const kernelRenderer: ReportRenderer = {
  meta: { id: 'kernel', description: 'NNGP / NTK kernel matrices as heatmaps' },
  commands: ['kernel', 'ntk'],
  render(input) {
    const p = input.payload;
    const blocks: ReportBlock[] = [];
    const fields: [string, string][] = [
      ['kernel', 'NNGP kernel K(x, x′)'],
      ['nngp', 'NNGP kernel K(x, x′)'],
      ['ntk', 'NTK Θ(x, x′)'],
      ['stderr', 'standard error'],
    ];
    for (const [key, title] of fields) {
      const m = p[key];
      if (!isNumberMatrix(m)) continue;
      const labels = inputLabels(p['inputs'], m.length);
      blocks.push({ kind: 'plot', spec: heatmap(m, { title, rowLabels: labels, colLabels: labels, valueTitle: key }), caption: `${key}: ${m.length} x ${m[0].length}, ${input.provenance.precision ?? ''}` });
    }
    if (Array.isArray(p['notes'])) for (const n of p['notes']) blocks.push({ kind: 'text', text: `note: ${String(n)}` });
    if (typeof p['outputStructure'] === 'string') blocks.push({ kind: 'text', text: p['outputStructure'] });
    return [{ title: 'Kernel', blocks }, ...eventSections(input.events)];
  },
};
