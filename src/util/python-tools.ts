// Where the Python tools installed by `npm test`'s set-up live (scripts/python-tools.mjs): the project's
// own `.tools/venv/bin`. Commands are run by this explicit path, never looked up on PATH, so a Tryton or
// beancount installed system-wide (often older majors) cannot stand in for the pinned ones.
import { join } from 'node:path';
import { PROJECT_ROOT } from './project-root';

export type PythonTool = 'python3' | 'trytond' | 'trytond-admin' | 'bean-check' | 'bean-query' | 'fava';

/** `PLEO_EXPORT_VENV` overrides the environment's location (e.g. one shared by several clones). */
export function pythonToolsBin(): string {
  return join(process.env.PLEO_EXPORT_VENV ?? join(PROJECT_ROOT, '.tools', 'venv'), 'bin');
}

export function pythonTool(name: PythonTool): string {
  return join(pythonToolsBin(), name);
}
