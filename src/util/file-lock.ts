// An exclusive lock on a file across processes (several workers may book the same ledger or refresh
// the same stored token):
// a lock file holding the owner's pid, taken over when that process no longer exists. Each process
// writes its pid once to a private file beside the lock and hard-links it into place to lock (atomic,
// fails if the lock exists), so a process killed while locking never leaves an empty lock file nobody
// can take over, and taking the lock costs one link and one unlink.
import { randomUUID } from 'node:crypto';
import { unlinkSync } from 'node:fs';
import { link, readdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** This process's pid file for each lock, removed when the process exits. */
const pidFiles = new Map<string, Promise<string>>();
process.once('exit', () => {
  for (const lockPath of pidFiles.keys()) {
    try {
      unlinkSync(`${lockPath}.${process.pid}-${ownId}`);
    } catch {
      // already gone
    }
  }
});
const ownId = randomUUID();

function pidFile(lockPath: string): Promise<string> {
  let file = pidFiles.get(lockPath);
  if (!file) {
    file = (async () => {
      // Pid files of processes that were killed (and so never removed theirs) are swept first.
      const prefix = `${basename(lockPath)}.`;
      for (const name of await readdir(dirname(lockPath))) {
        const pid = Number(/^(\d+)-/.exec(name.slice(prefix.length))?.[1]);
        if (name.startsWith(prefix) && pid && pid !== process.pid && !alive(pid))
          await unlink(join(dirname(lockPath), name)).catch(() => undefined);
      }
      const mine = `${lockPath}.${process.pid}-${ownId}`;
      await writeFile(mine, String(process.pid));
      return mine;
    })();
    pidFiles.set(lockPath, file);
    file.catch(() => pidFiles.delete(lockPath));
  }
  return file;
}

export async function withFileLock<T>(
  lockPath: string,
  body: () => Promise<T>,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const mine = await pidFile(lockPath);
    try {
      await link(mine, lockPath);
      break;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') {
        pidFiles.delete(lockPath); // our pid file was removed under us: write it again
        continue;
      }
      if (code !== 'EEXIST') throw err;
      const owner = Number(await readFile(lockPath, 'utf8').catch(() => ''));
      if (owner && !alive(owner)) {
        await unlink(lockPath).catch(() => undefined); // the owner crashed while holding it
        continue;
      }
      if (Date.now() > deadline)
        throw new Error(`ledger lock ${lockPath} held by pid ${owner || '?'} for over ${timeoutMs} ms`, {
          cause: err,
        });
      await sleep(5 + Math.floor(Math.random() * 20));
    }
  }
  try {
    return await body();
  } finally {
    await unlink(lockPath).catch(() => undefined);
  }
}
