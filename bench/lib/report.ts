// Results on disk: JSON for machines, a short Markdown report for people, SVG charts beside it, all in
// the git-ignored results/ folder, named by command and time (and `-latest` for the newest).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const RESULTS_DIR = resolve(__dirname, '..', '..', 'results');

export interface Chart {
  file: string;
  title: string;
  series: { name: string; points: [number, number][] }[];
  xLabel: string;
  yLabel: string;
}

export function table(header: string[], rows: (string | number)[][]): string {
  const line = (cells: (string | number)[]) => `| ${cells.map(String).join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

export const round = (n: number, digits = 2): number => Math.round(n * 10 ** digits) / 10 ** digits;

const COLOURS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e'];

/** A plain line chart (no library needed for a few polylines). */
export function lineChartSvg(chart: Chart): string {
  const [w, h, left, bottom, top, right] = [640, 320, 60, 40, 30, 150];
  const all = chart.series.flatMap((s) => s.points);
  const maxX = Math.max(1, ...all.map((p) => p[0]));
  const maxY = Math.max(1, ...all.map((p) => p[1]));
  const x = (v: number) => left + (v / maxX) * (w - left - right);
  const y = (v: number) => h - bottom - (v / maxY) * (h - bottom - top);
  const lines = chart.series.map((s, i) => {
    const colour = COLOURS[i % COLOURS.length];
    const points = s.points.map(([px, py]) => `${x(px).toFixed(1)},${y(py).toFixed(1)}`).join(' ');
    return (
      `<polyline fill="none" stroke="${colour}" stroke-width="2" points="${points}"/>` +
      `<text x="${w - right + 10}" y="${top + 16 * i + 10}" fill="${colour}" font-size="12">${escape(s.name)}</text>`
    );
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" font-family="sans-serif">
<rect width="100%" height="100%" fill="white"/>
<text x="${left}" y="18" font-size="14">${escape(chart.title)}</text>
<line x1="${left}" y1="${h - bottom}" x2="${w - right}" y2="${h - bottom}" stroke="black"/>
<line x1="${left}" y1="${top}" x2="${left}" y2="${h - bottom}" stroke="black"/>
<text x="${left}" y="${h - bottom + 16}" font-size="11">0</text>
<text x="${w - right}" y="${h - bottom + 16}" font-size="11" text-anchor="end">${round(maxX, 1)}</text>
<text x="${left - 4}" y="${top + 4}" font-size="11" text-anchor="end">${round(maxY, 1)}</text>
<text x="${(left + w - right) / 2}" y="${h - 8}" font-size="12" text-anchor="middle">${escape(chart.xLabel)}</text>
<text x="14" y="${(top + h - bottom) / 2}" font-size="12" transform="rotate(-90 14 ${(top + h - bottom) / 2})" text-anchor="middle">${escape(chart.yLabel)}</text>
${lines.join('\n')}
</svg>
`;
}

function escape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function writeResults(
  command: 'bench' | 'drill',
  data: unknown,
  markdown: string,
  charts: Chart[] = [],
  dir = RESULTS_DIR,
  /** The run's start time: a run that writes as it goes overwrites its own files. */
  at = new Date().toISOString(),
): { json: string; markdown: string } {
  mkdirSync(dir, { recursive: true });
  const stamp = at.replace(/[:.]/g, '-');
  for (const chart of charts) writeFileSync(join(dir, chart.file), lineChartSvg(chart));
  const files = {
    json: join(dir, `${command}-${stamp}.json`),
    markdown: join(dir, `${command}-${stamp}.md`),
  };
  const json = `${JSON.stringify(data, null, 2)}\n`;
  writeFileSync(files.json, json);
  writeFileSync(files.markdown, markdown);
  writeFileSync(join(dir, `${command}-latest.json`), json);
  writeFileSync(join(dir, `${command}-latest.md`), markdown);
  return files;
}
