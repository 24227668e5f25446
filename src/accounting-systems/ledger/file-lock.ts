// An exclusive lock on a ledger file across processes (several workers may book the same company):
// an O_EXCL lock file holding the owner's pid, taken over when that process no longer exists.
import { open, readFile, unlink } from 'node:fs/promises';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function withFileLock<T>(lockPath: string, body: () => Promise<T>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const handle = await open(lockPath, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = Number(await readFile(lockPath, 'utf8').catch(() => ''));
      if (owner && !alive(owner)) {
        await unlink(lockPath).catch(() => undefined); // the owner crashed while holding it
        continue;
      }
      if (Date.now() > deadline) throw new Error(`ledger lock ${lockPath} held by pid ${owner || '?'} for over ${timeoutMs} ms`, { cause: err });
      await sleep(5 + Math.floor(Math.random() * 20));
    }
  }
  try {
    return await body();
  } finally {
    await unlink(lockPath).catch(() => undefined);
  }
}
