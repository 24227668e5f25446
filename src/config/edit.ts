// Writes a company connection into the configuration file, as `connect` does: validated as a whole
// (1-to-1 rule included) before the file is replaced, so a refused connection leaves the file as it was.
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { loadConfig } from './load';

type Json = Record<string, unknown>;

export function upsertCompanyInConfigFile(
  file: string,
  entry: Json & { pleoCompanyId: string },
  env: NodeJS.ProcessEnv,
): 'added' | 'updated' {
  const raw: Json = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Json) : {};
  const companies = (Array.isArray(raw.companies) ? raw.companies : []) as Json[];
  const index = companies.findIndex((c) => c.pleoCompanyId === entry.pleoCompanyId);
  const next =
    index >= 0 ? companies.map((c, i) => (i === index ? { ...c, ...entry } : c)) : [...companies, entry];
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify({ ...raw, companies: next }, null, 2)}\n`, { mode: 0o600 });
  try {
    loadConfig({ file: temp, env });
  } catch (err) {
    rmSync(temp, { force: true });
    throw err;
  }
  renameSync(temp, file);
  return index >= 0 ? 'updated' : 'added';
}
