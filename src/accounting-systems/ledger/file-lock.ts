// An exclusive lock on a ledger file across processes (several workers may book the same company):
// a lock file holding the owner's pid, taken over when that process no longer exists. The pid is
// written to a private file first and then hard-linked into place (atomic, fails if the lock exists),
// so a process killed while locking never leaves an empty lock file nobody can take over.
import { randomUUID } from 'node:crypto';
import { link, readFile, unlink, writeFile } from 'node:fs/promises';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function withFileLock<T>(
  lockPath: string,
  body: () => Promise<T>,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const mine = `${lockPath}.${process.pid}-${randomUUID()}`;
    try {
      await writeFile(mine, String(process.pid));
      await link(mine, lockPath);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
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
    } finally {
      await unlink(mine).catch(() => undefined);
    }
  }
  try {
    return await body();
  } finally {
    await unlink(lockPath).catch(() => undefined);
  }
}
