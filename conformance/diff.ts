import { readFileSync } from 'node:fs';
import type { CaseResult, Report } from './types.js';

/** One row per case and driver on which two reports disagree (status, or present in only one). */
export function diffReports(a: Report, b: Report): string[] {
  const index = (report: Report): Map<string, CaseResult> => new Map(report.cases.map((c) => [`${c.id} [${c.driver}]`, c]));
  const left = index(a);
  const right = index(b);
  const rows: string[] = [];
  for (const name of new Set([...left.keys(), ...right.keys()])) {
    const x = left.get(name);
    const y = right.get(name);
    if (x?.status === y?.status) continue;
    const describe = (c: CaseResult | undefined): string => (c ? `${c.status}${c.reason ? ` (${c.reason})` : ''}` : 'not run');
    rows.push(`${name}: ${a.target} ${describe(x)} | ${b.target} ${describe(y)}`);
  }
  return rows;
}

export function main(argv: string[]): number {
  if (argv.length !== 2) {
    process.stderr.write('usage: conformance:diff <a.json> <b.json>\n');
    return 2;
  }
  const [a, b] = argv.map((path) => JSON.parse(readFileSync(path, 'utf8')) as Report) as [Report, Report];
  const rows = diffReports(a, b);
  const shared = new Set(a.cases.map((c) => `${c.id} [${c.driver}]`)).size;
  process.stdout.write(
    rows.length === 0
      ? `The two runs agree on every case (${shared} case-driver pairs): ${a.target} ${a.endpoint} vs ${b.target} ${b.endpoint}\n`
      : `${rows.length} disagreement(s) between ${a.target} (${a.endpoint}) and ${b.target} (${b.endpoint}):\n${rows.map((r) => `  ${r}`).join('\n')}\n`,
  );
  return rows.length === 0 ? 0 : 1;
}
