import { Rng, createFromPlugin } from '@nnsym/core';
import { runPluginConformance } from '@nnsym/core/testing';
import type { DistributionPlugin } from '../types';

/**
 * Conformance of a distribution plugin: the generic plugin checks; `fill` is reproducible for a seed; the sample
 * mean and variance of n draws are within 5 standard errors of the declared moments (SE from the declared fourth
 * moment; variance checked only when it is finite); `withMoments(m, s)` keeps the id and has mean m and variance s²;
 * the declared invariance is consistent with the mean (O(n) needs mean 0). Returns failures (empty = conformant).
 *
 * @example expect(runDistributionConformance(myDist, { scale: 2 })).toEqual([]);
 */
export function runDistributionConformance(plugin: DistributionPlugin, sampleConfig: unknown = {}, n = 20000): string[] {
  const failures = runPluginConformance(plugin, sampleConfig);
  if (failures.length) return failures;
  if (!Array.isArray(plugin.locationKeys) || !Array.isArray(plugin.scaleKeys)) failures.push('locationKeys and scaleKeys must be arrays');
  const d = createFromPlugin(plugin, sampleConfig);
  const a = d.fill(new Float64Array(n), new Rng(1));
  const b = d.fill(new Float64Array(n), new Rng(1));
  if (a.some((v, i) => v !== b[i] && !(Number.isNaN(v) && Number.isNaN(b[i])))) failures.push('fill is not reproducible for a fixed seed');
  let s = 0;
  for (const v of a) s += v;
  const mean = s / n;
  let ss = 0;
  for (const v of a) ss += (v - mean) ** 2;
  const variance = ss / (n - 1);
  if (Number.isFinite(d.variance)) {
    const se = Math.sqrt(d.variance / n);
    if (!(Math.abs(mean - d.mean) <= 5 * se + 1e-12)) failures.push(`sample mean ${mean} is not within 5 SE (${se}) of the declared mean ${d.mean}`);
    if (Number.isFinite(d.fourthMoment)) {
      const sev = Math.sqrt(Math.max(0, d.fourthMoment - d.variance ** 2) / n);
      if (!(Math.abs(variance - d.variance) <= 5 * sev + 1e-12)) failures.push(`sample variance ${variance} is not within 5 SE (${sev}) of the declared variance ${d.variance}`);
    }
  }
  if (d.invariance.orthogonal && d.mean !== 0) failures.push('declares O(n) invariance with a nonzero mean');
  if (d.variance > 0 && Number.isFinite(d.variance)) {
    const w = d.withMoments(0.25, 0.5);
    if (w.id !== d.id) failures.push(`withMoments changed the family to ${w.id}`);
    if (!(Math.abs(w.mean - 0.25) < 1e-12 && Math.abs(w.variance - 0.25) < 1e-12)) failures.push(`withMoments(0.25, 0.5) gave mean ${w.mean}, variance ${w.variance}`);
  }
  return failures;
}
