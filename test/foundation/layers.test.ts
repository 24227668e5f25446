// The layer check `npm run lint` runs (dependency-cruiser with .dependency-cruiser.js): the real tree
// passes it, and a miniature tree with deliberately wrong imports fails it, each arrow with the rule
// that names it. The workflow type names clients start by are the names the workflow bundle exports.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import * as workflows from '../../src/workflows';
import {
  COMPANY_EXPORT_WORKFLOW,
  EXPORT_JOB_WORKFLOW,
  POLL_COMPANY_WORKFLOW,
  type CompanyExportWorkflow,
} from '../../src/shared/workflow-api';

const root = join(__dirname, '../..');
const depcruise = join(root, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');

interface Violation {
  from: string;
  to: string;
  /** `ignore` for a known violation (the baseline file), skipped by `--ignore-known`. */
  rule: { name: string; severity: string };
}

/** Runs dependency-cruiser in `cwd` and returns the violations that fail it (not the known ones). */
function cruise(cwd: string, args: string[]): Promise<Violation[]> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [depcruise, ...args, '--output-type', 'json'],
      { cwd, maxBuffer: 64 * 1024 * 1024 },
      (err, stdout, stderr) => {
        try {
          const { summary } = JSON.parse(stdout) as { summary: { violations: Violation[] } };
          resolve(summary.violations.filter((v) => v.rule.severity !== 'ignore'));
        } catch {
          reject(new Error(`dependency-cruiser failed: ${err?.message ?? ''}\n${stderr}`));
        }
      },
    );
  });
}

/** The arguments `npm run lint` gives dependency-cruiser, read from package.json. */
function lintArgs(): string[] {
  const lint = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: { lint: string } })
    .scripts.lint;
  const step = /(?:^|&&)\s*depcruise\s+([^&]+)/.exec(lint);
  if (!step?.[1]) throw new Error(`npm run lint does not run depcruise: ${lint}`);
  return step[1].trim().split(/\s+/);
}

const arrow = (v: Violation) => `${v.rule.name}: ${v.from} → ${v.to}`;

test('the real tree has no wrong arrow beyond the known violations', async () => {
  const violations = await cruise(root, lintArgs());
  expect(violations.map(arrow)).toEqual([]);
});

describe('a wrong import fails the check', () => {
  let tree: string;
  let arrows: string[];

  /** Each file of the miniature tree; the comment says which rule its import breaks, if any. */
  const files: Record<string, string> = {
    'src/activities/index.ts': `export function createActivities() { return {}; }`,
    'src/activities/jobs.ts': `export const jobs = 1;`,
    // A value import of workflow code from an activity: the activity process would load it.
    'src/activities/triggers.ts': `import { loaded } from '../workflows/loaded';\nexport const t = loaded;`,
    // The core reaching up into the activities.
    'src/accounting/core/build.ts': `import { jobs } from '../../activities/jobs';\nexport const build = jobs;`,
    // A workflow loading an activity module instead of proxying it by type.
    'src/workflows/loaded.ts': `import { jobs } from '../activities/jobs';\nexport const loaded = jobs;`,
    // Allowed: activity types only.
    'src/workflows/typed.ts': `import type { createActivities } from '../activities';\nexport type A = ReturnType<typeof createActivities>;`,
    // One adapter importing another.
    'src/accounting-systems/ledger/ledger.ts': `import { tryton } from '../tryton/tryton';\nexport const ledger = tryton;`,
    'src/accounting-systems/tryton/tryton.ts': `export const tryton = 1;`,
    // A cycle made of type imports only.
    'src/pleo/client.ts': `import type { B } from './errors';\nexport interface A { b?: B }`,
    'src/pleo/errors.ts': `import type { A } from './client';\nexport interface B { a?: A }`,
    // The service loading the sandbox outside the demo.
    'src/webhooks/receiver.ts': `import { sandbox } from '../sandbox/server';\nexport const receiver = sandbox;`,
    // The same, the sandbox being a workspace package.
    'src/config/load.ts': `import { pkg } from '../../packages/pleo-sandbox/src';\nexport const load = pkg;`,
    // The same by package name, as npm workspaces link it.
    'src/receipts/zip.ts': `import { pkg } from '@pleo-export/pleo-sandbox/index';\nexport const zip = pkg;`,
    'packages/pleo-sandbox/package.json': JSON.stringify({
      name: '@pleo-export/pleo-sandbox',
      exports: { './*': './src/*.ts' },
    }),
    // The workflow-safe shared module reaching for a Node-only helper.
    'src/shared/names.ts': `import { root } from '../util/root';\nexport const names = root;`,
    'src/util/root.ts': `export const root = '/';`,
    // A sandbox importing the service, in src/ and as a workspace package.
    'src/sandbox/server.ts': `import { build } from '../accounting/core/build';\nexport const sandbox = build;`,
    'packages/pleo-sandbox/src/index.ts': `import { jobs } from '../../../src/activities/jobs';\nexport const pkg = jobs;`,
    // Allowed: the demo starts the sandbox.
    'src/app/demo.ts': `import { sandbox } from '../sandbox/server';\nimport { pkg } from '../../packages/pleo-sandbox/src';\nexport const demo = [sandbox, pkg];`,
    'tsconfig.json': JSON.stringify({
      compilerOptions: { module: 'commonjs', moduleResolution: 'node', strict: true },
    }),
  };

  beforeAll(async () => {
    tree = mkdtempSync(join(tmpdir(), 'layers-'));
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(tree, path)), { recursive: true });
      writeFileSync(join(tree, path), `${text}\n`);
    }
    mkdirSync(join(tree, 'node_modules/@pleo-export'), { recursive: true });
    symlinkSync(
      join(tree, 'packages/pleo-sandbox'),
      join(tree, 'node_modules/@pleo-export/pleo-sandbox'),
      'dir',
    );
    const violations = await cruise(tree, [
      'src',
      'packages',
      '--config',
      join(root, '.dependency-cruiser.js'),
    ]);
    arrows = violations.map(arrow);
  });
  afterAll(() => rmSync(tree, { recursive: true, force: true }));

  test.each([
    ['layer-core', 'src/accounting/core/build.ts', 'src/activities/jobs.ts'],
    ['workflow-imports-activity-types-only', 'src/workflows/loaded.ts', 'src/activities/jobs.ts'],
    ['no-workflow-code-outside-workflows', 'src/activities/triggers.ts', 'src/workflows/loaded.ts'],
    ['layer-adapters', 'src/accounting-systems/ledger/ledger.ts', 'src/accounting-systems/tryton/tryton.ts'],
    ['no-circular', 'src/pleo/client.ts', 'src/pleo/errors.ts'],
    ['sandbox-only-in-the-demo', 'src/webhooks/receiver.ts', 'src/sandbox/server.ts'],
    ['sandbox-only-in-the-demo', 'src/config/load.ts', 'packages/pleo-sandbox/src/index.ts'],
    ['sandbox-only-in-the-demo', 'src/receipts/zip.ts', 'packages/pleo-sandbox/src/index.ts'],
    ['layer-shared', 'src/shared/names.ts', 'src/util/root.ts'],
    ['layer-sandboxes', 'src/sandbox/server.ts', 'src/accounting/core/build.ts'],
    ['layer-sandboxes', 'packages/pleo-sandbox/src/index.ts', 'src/activities/jobs.ts'],
  ])('%s: %s → %s', (rule, from, to) => {
    expect(arrows).toContain(`${rule}: ${from} → ${to}`);
  });

  test('allowed arrows pass: workflow → activity types, the demo → the sandboxes', () => {
    const fromAllowed = arrows.filter((a) => /: src\/(workflows\/typed|app\/demo)\.ts → /.test(a));
    expect(fromAllowed).toEqual([]);
    // Every probe's import resolved, so the arrows above are the ones the files declare.
    expect(arrows.filter((a) => a.startsWith('not-to-unresolvable'))).toEqual([]);
  });
});

test('the workflow type names are the names the workflow bundle exports', () => {
  // The signature the client starts the company workflow with matches the workflow's (checked by tsc).
  const companyExport: CompanyExportWorkflow = workflows[COMPANY_EXPORT_WORKFLOW];
  expect(typeof companyExport).toBe('function');
  expect(typeof workflows[EXPORT_JOB_WORKFLOW]).toBe('function');
  expect(typeof workflows[POLL_COMPANY_WORKFLOW]).toBe('function');
});
