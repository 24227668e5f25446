// Keeps dist/ (the compiled JavaScript that the CLI, production workers and bench workers run) current
// in a checkout: `npm ci` builds it (`prepare`), and the `pleo-export` bin rebuilds it first when a
// source is newer than the last build. Without sources (the Docker image) dist is used as it is.
// `node bin/ensure-dist.js` builds when stale; with `--if-possible` it only notes a missing compiler
// (an install without dev dependencies) instead of failing.
//
// Workspace packages: in a checkout, node_modules/@pleo-export/<name> links to packages/<name>, whose
// `exports` point at TypeScript sources (what ts-node, Jest and the workflow bundler run). The build
// compiles the packages the service needs (tsconfig.build.json) into dist/packages/<name> and links
// them as dist/node_modules/@pleo-export/<name>, which Node finds first from compiled code in dist/.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const { dirname, join, relative } = require('node:path');

const root = join(__dirname, '..');
const stamp = join(root, 'dist', '.built');
const lock = join(root, 'dist', '.building');
const INPUTS = ['src', 'packages', 'bench', 'tsconfig.json', 'tsconfig.build.json'];

function newestInput() {
  let newest = 0;
  for (const input of INPUTS) {
    const path = join(root, input);
    const top = fs.statSync(path, { throwIfNoEntry: false });
    if (!top) continue;
    const files = top.isDirectory()
      ? fs.readdirSync(path, { recursive: true }).map((f) => join(path, f))
      : [path];
    for (const file of files) newest = Math.max(newest, fs.statSync(file).mtimeMs);
  }
  return newest;
}

function isStale() {
  if (!fs.existsSync(join(root, 'src'))) return false;
  const built = fs.statSync(stamp, { throwIfNoEntry: false });
  return !built || newestInput() > built.mtimeMs;
}

const sleep = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM';
  }
}

/** One build at a time: a second caller waits for the first instead of compiling over it. */
function withBuildLock(body) {
  for (;;) {
    try {
      const fd = fs.openSync(lock, 'wx');
      fs.writeSync(fd, String(process.pid));
      fs.closeSync(fd);
      break;
    } catch (err) {
      if (err.code === 'ENOENT') fs.mkdirSync(join(root, 'dist'), { recursive: true });
      else if (err.code !== 'EEXIST') throw err;
      else {
        const owner = Number(fs.readFileSync(lock, 'utf8') || 0);
        if (owner && !alive(owner)) fs.unlinkSync(lock);
        else sleep(200);
      }
    }
  }
  try {
    return body();
  } finally {
    fs.unlinkSync(lock);
  }
}

/** Removes compiled files whose source is gone (moved or deleted), so dist/ holds only what src/ has. */
function pruneStaleOutputs() {
  for (const top of ['src', 'packages', 'bench']) {
    const dir = join(root, 'dist', top);
    if (!fs.existsSync(dir)) continue;
    const entries = fs.readdirSync(dir, { recursive: true }).sort().reverse(); // a folder after its files
    for (const entry of entries) {
      const path = join(dir, entry);
      const source = /^(.*)\.js(\.map)?$/.exec(entry)?.[1];
      if (source !== undefined && !fs.existsSync(join(root, top, `${source}.ts`))) fs.rmSync(path);
      else if (fs.lstatSync(path).isDirectory() && fs.readdirSync(path).length === 0) fs.rmdirSync(path);
    }
  }
}

/** Makes each package compiled into dist/packages resolvable by its name from the compiled code. */
function linkCompiledPackages() {
  const { include } = JSON.parse(fs.readFileSync(join(root, 'tsconfig.build.json'), 'utf8'));
  for (const entry of include) {
    const folder = /^packages\/([^/]+)\/src$/.exec(entry)?.[1];
    if (!folder) continue;
    const { name } = JSON.parse(fs.readFileSync(join(root, 'packages', folder, 'package.json'), 'utf8'));
    const compiled = join(root, 'dist', 'packages', folder);
    const manifest = { name, private: true, exports: { './*': './src/*.js' } };
    fs.writeFileSync(join(compiled, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    const link = join(root, 'dist', 'node_modules', name);
    fs.mkdirSync(dirname(link), { recursive: true });
    fs.rmSync(link, { force: true });
    fs.symlinkSync(relative(dirname(link), compiled), link, 'dir');
  }
}

/** Builds dist/ when a source is newer than the last build; returns false when no compiler is installed. */
function ensureDist() {
  if (!isStale()) return true;
  let tsc;
  try {
    tsc = require.resolve('typescript/bin/tsc', { paths: [root] });
  } catch {
    return false;
  }
  return withBuildLock(() => {
    if (!isStale()) return true; // built by the process we waited for
    const started = new Date();
    process.stderr.write('pleo-export: compiling the sources into dist/ (npm run build)…\n');
    const result = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], {
      cwd: root,
      stdio: ['ignore', 2, 2],
    });
    if (result.status !== 0)
      throw new Error('the TypeScript build failed (see above): fix it, then run again');
    pruneStaleOutputs();
    linkCompiledPackages();
    // Stamped with the start time: a source saved during the build makes the next run build again.
    fs.closeSync(fs.openSync(stamp, 'w'));
    fs.utimesSync(stamp, started, started);
    return true;
  });
}

module.exports = { ensureDist };

if (require.main === module) {
  try {
    if (!ensureDist()) {
      if (!process.argv.includes('--if-possible')) throw new Error('typescript is not installed: npm ci');
      process.stderr.write('pleo-export: typescript not installed (production install); dist/ not built\n');
    }
  } catch (err) {
    process.stderr.write(`pleo-export: ${err.message}\n`);
    process.exitCode = 1;
  }
}
