// The checkout's (or image's) root folder, whether this code runs from src/ (ts-node, Jest) or
// compiled in dist/src/: the nearest folder upwards holding package.json.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

function findRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) return join(__dirname, '..', '..');
  }
}

export const PROJECT_ROOT = findRoot(__dirname);
