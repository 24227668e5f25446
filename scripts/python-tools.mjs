// The Python tools the tests and the books viewer run — Tryton 8.0 LTS (server and the accounting
// modules the adapter uses), beancount 3 (bean-check), beanquery (bean-query) and fava — installed from
// PyPI into the project's own virtual environment `.tools/venv`: no root, no system packages. The suite
// runs them by their path under `.tools/venv/bin` (src/util/python-tools.ts), so a Tryton or beancount
// installed system-wide is never picked up. A stamp holding the hash of the requirements makes a second
// run instant; changing a pin below reinstalls.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const PYTHON_REQUIREMENTS = [
  'trytond==8.0.12',
  'trytond_party==8.0.4',
  'trytond_currency==8.0.0',
  'trytond_company==8.0.1',
  'trytond_account==8.0.4',
  'trytond_account_invoice==8.0.2',
  'trytond_analytic_account==8.0.1',
  'trytond_analytic_invoice==8.0.0',
  'beancount==3.2.3',
  'beanquery==0.2.0',
  'fava==1.30.16',
];

/** The commands the project runs from the environment; all must exist after installing. */
const COMMANDS = ['trytond', 'trytond-admin', 'bean-check', 'bean-query', 'fava', 'python3'];

/** Creates or refreshes `<root>/.tools/venv`; returns its bin directory. */
export function ensurePythonTools(root, log) {
  const venv = join(root, '.tools', 'venv');
  const bin = join(venv, 'bin');
  const stampFile = join(venv, 'requirements.sha256');
  const stamp = createHash('sha256').update(PYTHON_REQUIREMENTS.join('\n')).digest('hex');
  const present = () => COMMANDS.every((c) => existsSync(join(bin, c)));
  if (present() && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp) return bin;

  const python = process.env.PYTHON ?? 'python3';
  const run = (command, args) => {
    const r = spawnSync(command, args, { stdio: ['ignore', 'inherit', 'inherit'] });
    if (r.error) throw new Error(`${command} could not be started (${r.error.message}); Python 3 is needed`);
    if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} failed with exit code ${r.status}`);
  };
  if (!existsSync(join(bin, 'python3'))) {
    log(`creating the Python environment .tools/venv (${python} -m venv)`);
    try {
      run(python, ['-m', 'venv', venv]);
    } catch (err) {
      // Debian and Ubuntu ship venv (ensurepip) separately from python3.
      throw new Error(
        `${err.message}; on Debian/Ubuntu install python3-venv, or point PYTHON at another Python 3`,
      );
    }
  }
  log(`installing ${PYTHON_REQUIREMENTS.join(' ')} into .tools/venv (pip, under a minute)`);
  run(join(bin, 'python3'), [
    '-m',
    'pip',
    'install',
    '--quiet',
    '--disable-pip-version-check',
    '--no-input',
    ...PYTHON_REQUIREMENTS,
  ]);
  const missing = COMMANDS.filter((c) => !existsSync(join(bin, c)));
  if (missing.length) throw new Error(`.tools/venv lacks ${missing.join(', ')} after installing`);
  writeFileSync(stampFile, stamp);
  return bin;
}
