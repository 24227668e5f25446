import { execFile } from 'node:child_process';
import { pythonTool } from '../../util/python-tools';

export interface BeanCheckError {
  file?: string;
  line?: number;
  message: string;
}

/** Runs beancount's `bean-check` on a ledger file; an empty list means beancount accepts it. */
export function runBeanCheck(
  file: string,
  beanCheck = process.env.BEAN_CHECK ?? pythonTool('bean-check'),
): Promise<BeanCheckError[]> {
  return new Promise((resolve, reject) => {
    execFile(beanCheck, [file], { maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error && (error as NodeJS.ErrnoException).code === 'ENOENT') {
        reject(
          new Error(`${beanCheck} not found: run \`npm run setup\` (it installs beancount into .tools/venv)`),
        );
        return;
      }
      const errors = `${stdout}\n${stderr}`
        .split('\n')
        .filter((line) => /^\S.*:\d+:\s/.test(line))
        .map((line): BeanCheckError => {
          const match = /^(.*?):(\d+):\s*(.*)$/.exec(line);
          return { file: match?.[1], line: Number(match?.[2]), message: match?.[3] ?? line };
        });
      if (error && errors.length === 0) errors.push({ message: (stderr || stdout || error.message).trim() });
      resolve(errors);
    });
  });
}
