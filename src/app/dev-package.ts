// The sandboxes are development packages (packages/pleo-sandbox, packages/xero-sandbox): TypeScript
// sources that `npm run build` does not compile and the production image does not contain. The demo
// loads them through here, and only when it runs, by a name the compiler does not follow (so the
// production build needs no sandbox). From TypeScript (ts-node, Jest) they load like any module; from
// compiled code in a checkout, ts-node (a dev dependency) compiles them as they load; where they are
// not installed (the image, an install without dev dependencies) the error says so.
import { join } from 'node:path';
import { PROJECT_ROOT } from '../util/project-root';

let typeScriptRegistered = false;

/** The module `specifier` of a development package, or an error saying it needs a development install. */
export async function loadDevPackage(specifier: string): Promise<unknown> {
  try {
    require.resolve(specifier);
  } catch (err) {
    const name = specifier.split('/').slice(0, 2).join('/');
    throw new Error(
      `the demo needs ${name}, a development package this installation does not have (the production image ships without the sandboxes): run it from a checkout after \`npm ci\`, with \`npm start\``,
      { cause: err },
    );
  }
  if (!__filename.endsWith('.ts') && !typeScriptRegistered) {
    const tsNode = await import('ts-node');
    tsNode.register({ transpileOnly: true, project: join(PROJECT_ROOT, 'tsconfig.json') });
    typeScriptRegistered = true;
  }
  return import(specifier);
}
