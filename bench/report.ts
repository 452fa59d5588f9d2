/** Judging metrics against their targets, the printed table and the JSON results. */
import { cpus, release, totalmem } from 'node:os';
import type { Goal, Metric } from './scenarios.js';

export type Verdict = 'PASS' | 'MISS';

export interface JudgedMetric extends Metric {
  /** emulator ÷ ceiling, when there is a ceiling figure. */
  ratio?: number;
  target?: string;
  result?: Verdict;
}

export function describeGoal(goal: Goal): string {
  return goal.kind === 'ratio>=' ? `≥ ${goal.value} × ceiling` : `${goal.kind} ${goal.value}`;
}

export function judge(metric: Metric): JudgedMetric {
  const ratio = metric.ceiling !== undefined && metric.ceiling !== 0 ? metric.emulator / metric.ceiling : undefined;
  if (!metric.goal) return { ...metric, ratio };
  const goal = metric.goal;
  const ok =
    goal.kind === 'ratio>=' ? ratio !== undefined && ratio >= goal.value
    : goal.kind === '<=' ? metric.emulator <= goal.value
    : metric.emulator < goal.value;
  return { ...metric, ratio, target: describeGoal(goal), result: ok ? 'PASS' : 'MISS' };
}

/** Three significant-ish digits: 12,345 / 1,234 / 123 / 12.3 / 1.23 / 0.123. */
export function formatNumber(value: number | undefined): string {
  if (value === undefined || Number.isNaN(value)) return '-';
  const abs = Math.abs(value);
  if (abs >= 1000) return Math.round(value).toLocaleString('en-US');
  if (abs >= 100) return value.toFixed(0);
  if (abs >= 10) return value.toFixed(1);
  if (abs >= 1) return value.toFixed(2);
  return value.toFixed(3);
}

const COLUMNS = ['measurement', 'unit', 'emulator', 'ceiling', 'ratio', 'target', 'result'] as const;

function cells(m: JudgedMetric): string[] {
  return [m.label, m.unit, formatNumber(m.emulator), formatNumber(m.ceiling), m.ratio === undefined ? '-' : m.ratio.toFixed(2), m.target ?? '', m.result ?? ''];
}

/** A fixed-width table for the terminal. */
export function formatTable(metrics: JudgedMetric[]): string {
  const rows = [[...COLUMNS], ...metrics.map(cells)];
  const widths = COLUMNS.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  const numeric = new Set([2, 3, 4]);
  const line = (r: string[]): string => r.map((cell, c) => (numeric.has(c) ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!))).join('  ').trimEnd();
  return [line(rows[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

/** The same table in Markdown, for the README. */
export function formatMarkdown(metrics: JudgedMetric[]): string {
  const head = `| ${COLUMNS.join(' | ')} |\n|${COLUMNS.map((_, c) => ([2, 3, 4].includes(c) ? '---:' : '---')).join('|')}|`;
  const row = (m: JudgedMetric): string => {
    const [label = '', ...rest] = cells(m).map((c) => c.replace(/\|/g, '\\|'));
    // Indented labels are details of the row above; Markdown would drop the indentation.
    return `| ${label.startsWith(' ') ? `↳ ${label.trim()}` : label} | ${rest.join(' | ')} |`;
  };
  return [head, ...metrics.map(row)].join('\n');
}

export function machine(): Record<string, unknown> {
  const cpu = cpus();
  return {
    cpus: cpu.length,
    cpuModel: cpu[0]?.model ?? 'unknown',
    memoryGB: Math.round(totalmem() / 1e9),
    node: process.version,
    platform: `${process.platform} ${release()}`,
  };
}
