// What ships: the files the Dockerfile copies from the build context (its COPY lines, through
// .dockerignore) and what `npm run build` writes to dist/ hold no sandbox code; and the compiled CLI,
// laid out as in the image (no workspace sandboxes installed), refuses the demo with a clear message.
import { spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { startSandbox } from '@pleo-export/pleo-sandbox/server';
import type { DemoSandboxModule } from '../../src/app/demo';

const root = join(__dirname, '..', '..');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ensureDist } = require(join(root, 'bin', 'ensure-dist.js')) as { ensureDist: () => boolean };

// The demo names what it uses of the sandbox instead of importing its types (the production build has
// no sandbox); the type checker holds the sandbox to that.
const sandboxAsTheDemoCallsIt: DemoSandboxModule = { startSandbox };

const SANDBOX = /(^|\/)(pleo-sandbox|xero-sandbox|sandbox)(\/|$)/;

/** The files at `path` (a file or a folder), relative to the checkout. */
function filesUnder(path: string): string[] {
  if (!existsSync(path)) return [];
  if (!statSync(path).isDirectory()) return [relative(root, path)];
  return readdirSync(path, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() || e.isSymbolicLink())
    .map((e) => relative(root, join(e.parentPath, e.name)));
}

/** A .dockerignore pattern as Docker reads it: `*` within one path segment, `**` across segments. */
function dockerPattern(pattern: string): RegExp {
  const source = pattern
    .replace(/^\/+|\/+$/g, '')
    .split(/(\*\*|\*|\?)/)
    .map((part) =>
      part === '**'
        ? '.*'
        : part === '*'
          ? '[^/]*'
          : part === '?'
            ? '[^/]'
            : part.replace(/[.+^${}()|[\]\\]/g, '\\$&'),
    )
    .join('');
  return new RegExp(`^${source}$`);
}

/** Docker excludes a path when the last pattern matching it (or a folder above it) is not a `!` exception. */
function dockerIgnored(file: string, rules: { exclude: boolean; pattern: RegExp }[]): boolean {
  const prefixes = file.split('/').map((_, i, parts) => parts.slice(0, i + 1).join('/'));
  let ignored = false;
  for (const rule of rules) if (prefixes.some((p) => rule.pattern.test(p))) ignored = rule.exclude;
  return ignored;
}

/** Context files the Dockerfile's COPY lines (not `COPY --from`) take, after .dockerignore. */
function dockerContextFiles(): string[] {
  const rules = readFileSync(join(root, '.dockerignore'), 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => ({ exclude: !line.startsWith('!'), pattern: dockerPattern(line.replace(/^!/, '')) }));
  const sources = readFileSync(join(root, 'Dockerfile'), 'utf8')
    .split('\n')
    .filter((line) => /^COPY\s/.test(line) && !/--from=/.test(line))
    .flatMap((line) => {
      const args = line
        .trim()
        .split(/\s+/)
        .slice(1)
        .filter((a) => !a.startsWith('--'));
      return args.slice(0, -1);
    });
  const files = sources.flatMap((source) => filesUnder(join(root, source)));
  return [...new Set(files)].filter((file) => !dockerIgnored(file, rules)).sort();
}

test('the Docker build context the Dockerfile copies holds the service and no sandbox', () => {
  const files = dockerContextFiles();
  // The listing sees what it should, so an empty or broken one cannot pass.
  expect(files).toEqual(
    expect.arrayContaining([
      'package.json',
      'package-lock.json',
      'bin/pleo-export.js',
      'src/cli/main.ts',
      'src/workflows/index.ts',
      'packages/pleo-api/src/schemas.ts',
      'packages/demo-company/src/chart.ts',
    ]),
  );
  expect(files.filter((f) => SANDBOX.test(f) || /^(test|bench)\//.test(f))).toEqual([]);
});

test('the .dockerignore rules keep the sandboxes out even if a COPY line took the whole packages folder', () => {
  const rules = readFileSync(join(root, '.dockerignore'), 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => ({ exclude: !line.startsWith('!'), pattern: dockerPattern(line.replace(/^!/, '')) }));
  const packages = filesUnder(join(root, 'packages')).filter((f) => !dockerIgnored(f, rules));
  expect(packages).toContain('packages/pleo-api/src/types.ts');
  expect(packages.filter((f) => SANDBOX.test(f))).toEqual([]);
});

test('the demo loads the sandbox it names', async () => {
  const { loadPleoSandbox } = await import('../../src/app/demo');
  expect((await loadPleoSandbox()).startSandbox).toBe(sandboxAsTheDemoCallsIt.startSandbox);
});

describe('npm run build', () => {
  beforeAll(() => {
    expect(ensureDist()).toBe(true);
  }, 600_000);

  test('writes no sandbox code to dist/', () => {
    const files = filesUnder(join(root, 'dist'));
    expect(files).toEqual(
      expect.arrayContaining([
        'dist/src/cli/main.js',
        'dist/packages/pleo-api/src/schemas.js',
        'dist/node_modules/@pleo-export/pleo-api',
      ]),
    );
    expect(files.filter((f) => SANDBOX.test(f))).toEqual([]);
    // Compiled code names a sandbox only where the demo loads it on demand (and the bench's worker).
    const naming = files
      .filter((f) => f.endsWith('.js') && !f.startsWith('dist/node_modules/'))
      .filter((f) => /@pleo-export\/(pleo|xero)-sandbox/.test(readFileSync(join(root, f), 'utf8')))
      .sort();
    expect(naming).toEqual([
      'dist/bench/target.js',
      'dist/src/app/demo.js',
      'dist/src/cli/commands/sandbox.js',
    ]);
  });

  test('laid out as in the image, the compiled CLI runs and says the demo needs a development install', () => {
    const image = mkdtempSync(join(tmpdir(), 'pleo-export-image-'));
    try {
      cpSync(join(root, 'dist'), join(image, 'dist'), { recursive: true, verbatimSymlinks: true });
      cpSync(join(root, 'bin'), join(image, 'bin'), { recursive: true });
      cpSync(join(root, 'package.json'), join(image, 'package.json'));
      // The installed dependencies, without the workspace packages (the image has none).
      mkdirSync(join(image, 'node_modules'));
      for (const entry of readdirSync(join(root, 'node_modules')))
        if (entry !== '@pleo-export' && entry !== '.bin')
          symlinkSync(join(root, 'node_modules', entry), join(image, 'node_modules', entry));
      const run = (args: string[]) =>
        spawnSync(process.execPath, [join(image, 'bin', 'pleo-export.js'), ...args], {
          cwd: image,
          encoding: 'utf8',
          timeout: 300_000,
          env: { ...process.env, CI: 'true', LOG_FORMAT: 'json' },
        });
      const help = run(['--help']);
      expect([help.status, help.stdout]).toEqual([0, expect.stringContaining('worker')]);
      const start = run(['start', '--exit']);
      expect(start.status).toBe(1);
      expect(start.stderr).toContain('the demo needs @pleo-export/pleo-sandbox, a development package');
    } finally {
      rmSync(image, { recursive: true, force: true });
    }
  }, 600_000);
});
