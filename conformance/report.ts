import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CaseResult, Report } from './types.js';

export function summarize(report: Report): { pass: number; fail: number; skip: number } {
  const count = (status: CaseResult['status']): number => report.cases.filter((c) => c.status === status).length;
  return { pass: count('pass'), fail: count('fail'), skip: count('skip') };
}

/** The per-case table printed to the terminal. */
export function formatTable(report: Report): string {
  const rows = report.cases.map((c) => [c.status.toUpperCase(), c.id, c.driver, c.confidence, `${c.ms}ms`, c.reason]);
  const widths = [4, 0, 0, 0, 0].map((min, i) => Math.max(min, ...rows.map((r) => r[i]!.length)));
  const lines = rows.map((r) => r.map((cell, i) => (i < widths.length ? cell.padEnd(widths[i]!) : cell)).join('  ').trimEnd());
  const { pass, fail, skip } = summarize(report);
  return [`conformance: target ${report.target} (${report.endpoint}), prefix ${report.prefix}`, ...lines, `${pass} passed, ${fail} failed, ${skip} skipped`].join('\n');
}

export function formatMarkdown(report: Report): string {
  const { pass, fail, skip } = summarize(report);
  const escape = (s: string): string => s.replace(/\|/g, '\\|');
  return [
    `# Conformance report`,
    '',
    `Target **${report.target}** (${report.endpoint}), started ${report.startedAt}: **${pass} passed, ${fail} failed, ${skip} skipped**.`,
    '',
    'Confidence: `validated` = documented or recorded real-OSS behaviour; `emulator-only` = our choice where OSS is undocumented; `known-divergence` = the emulator knowingly differs.',
    '',
    '| case | driver | confidence | status | ms | reason |',
    '|---|---|---|---|---|---|',
    ...report.cases.map((c) => `| ${c.id} — ${escape(c.title)} | ${c.driver} | ${c.confidence} | ${c.status} | ${c.ms} | ${escape(c.reason)} |`),
    '',
  ].join('\n');
}

/** Writes conformance-report.json and conformance-report.md into `dir`. */
export function writeReports(report: Report, dir: string): { json: string; markdown: string } {
  const json = join(dir, 'conformance-report.json');
  const markdown = join(dir, 'conformance-report.md');
  writeFileSync(json, JSON.stringify(report, null, 2) + '\n');
  writeFileSync(markdown, formatMarkdown(report));
  return { json, markdown };
}
