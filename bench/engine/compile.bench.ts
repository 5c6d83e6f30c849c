import { compileJourney, validateJourney } from '@waymark/shared';
import { generateJourney } from './generate-journey.ts';
import { measure, type BenchResult } from '../measure.ts';

/** Compiling a generated 1,000-node journey: validate + compile, target ≤ 50 ms. */
export async function compileBench(): Promise<BenchResult[]> {
  const doc = generateJourney(1_000);
  const nodes = doc.graph.nodes.length;
  const compile = await measure(`compile ${nodes}-node journey`, () => compileJourney(doc), { iterations: 30 });
  const validate = await measure(`validate ${nodes}-node journey`, () => validateJourney(doc), { iterations: 30 });
  return [
    { name: compile.name, figure: `${compile.median.toFixed(1)} ms median (p90 ${compile.p90.toFixed(1)} ms, first ${compile.first.toFixed(1)} ms)`, target: '≤ 50 ms', ok: compile.median <= 50 },
    { name: validate.name, figure: `${validate.median.toFixed(1)} ms median`, target: '', ok: true },
  ];
}
