// The service's layers, checked by `npm run lint` over the real import graph (docs/architecture.md draws
// them). Each folder lists what it may import; an import outside that list, or any cycle (type-only
// imports included), fails lint. Which npm packages and Node built-ins a layer may use is ESLint's
// check (no I/O in the core or in workflows).

const dir = (name) => `^src/${name}/`;
/**
 * A workspace package by its folder: an import by package name resolves through node_modules' link to
 * the real folder, so one pattern covers imports by name and by relative path.
 */
const pkg = (name) => `(^|/)packages/${name}/`;

const SANDBOXES = ['^src/(sandbox|xero-sandbox)/', pkg('[^/]*-sandbox')];
/**
 * Pleo's API as the service and the sandboxes both speak it: the generated OpenAPI types, the types and
 * tolerant zod readers beside them. A leaf: it imports nothing of the project, and every layer but the
 * workflows (which go through src/shared) may read it.
 */
const PLEO_API = ['^src/pleo/(types|schemas|null-tolerance)\\.ts$', dir('pleo/generated'), pkg('pleo-api')];
/** The demo company's chart of accounts, tags and vendors: data only. */
const DEMO_DATA = [dir('demo'), pkg('demo-company')];

const SHARED = dir('shared');
const UTIL = dir('util');
const CORE = dir('accounting/core');
/** The interface an accounting system implements, and the gate its rate-limited calls pass through. */
const PORT = '^src/accounting-systems/(port|call-gate)\\.ts$';
/** What the adapters have in common: their config schemas and the known tax codes. */
const ADAPTER_COMMON = '^src/accounting-systems/(config|known-codes)\\.ts$';
const ADAPTERS = '^src/accounting-systems/[^/]+/';
const REGISTRY = '^src/accounting-systems/registry\\.ts$';
const PLEO = dir('pleo');
/** The Xero adapter signs in with the same OAuth 2 client (and reconnect error) as Pleo. */
const OAUTH = [dir('pleo/auth'), '^src/pleo/errors\\.ts$'];
/** The AES-GCM keyring and the encrypted-file store on it: tokens and credentials are kept with them. */
const CRYPTO = '^src/codec/(aes|encrypted-file)\\.ts$';

/** Who may import what: one entry per folder of src/ (the files of src/accounting-systems/ by role). */
const LAYERS = [
  { name: 'pleo-api', path: PLEO_API, may: [] }, // itself only
  { name: 'shared', path: SHARED, may: [SHARED] },
  { name: 'util', path: UTIL, may: [UTIL] },
  // The demo company's data package; src/demo also holds the demo's accounting config, a core config.
  { name: 'demo-company', path: pkg('demo-company'), may: [pkg('demo-company')] },
  { name: 'demo', path: dir('demo'), may: [...DEMO_DATA, CORE] },
  { name: 'core', path: CORE, may: [CORE, '^src/shared/failure-reasons\\.ts$'] },
  { name: 'port', path: PORT, may: [CORE, SHARED] },
  { name: 'adapter-common', path: ADAPTER_COMMON, may: [ADAPTER_COMMON, CORE, SHARED] },
  {
    name: 'adapters',
    path: '^src/accounting-systems/([^/]+)/',
    // `$1` is the adapter's own folder: adapters do not import each other.
    may: ['^src/accounting-systems/$1/', PORT, ADAPTER_COMMON, CORE, SHARED, UTIL, ...DEMO_DATA, ...OAUTH],
  },
  { name: 'registry', path: REGISTRY, may: [ADAPTERS, PORT, ADAPTER_COMMON, CORE] },
  { name: 'pleo', path: PLEO, may: [PLEO, CRYPTO, SHARED, UTIL] },
  { name: 'receipts', path: dir('receipts'), may: [dir('receipts'), PORT, SHARED, UTIL] },
  { name: 'codec', path: dir('codec'), may: [dir('codec'), dir('config'), SHARED, UTIL] },
  {
    name: 'config',
    path: dir('config'),
    may: [dir('config'), '^src/accounting-systems/config\\.ts$', CORE, dir('codec'), PLEO, SHARED, UTIL],
  },
  {
    name: 'connections',
    path: dir('connections'),
    may: [dir('connections'), REGISTRY, PORT, CORE, dir('codec'), dir('config'), PLEO, dir('receipts'), UTIL],
  },
  {
    name: 'export',
    path: dir('export'),
    may: [dir('export'), CORE, PORT, PLEO, dir('receipts'), dir('connections'), SHARED, UTIL],
  },
  { name: 'logging', path: dir('logging'), may: [dir('logging')] },
  { name: 'client', path: dir('client'), may: [dir('client'), SHARED] },
  {
    name: 'activities',
    path: dir('activities'),
    may: [
      dir('activities'),
      dir('export'),
      dir('connections'),
      CORE,
      PORT,
      PLEO,
      dir('client'),
      SHARED,
      UTIL,
    ],
  },
  {
    name: 'workflows',
    path: dir('workflows'),
    may: [dir('workflows'), SHARED, dir('activities')],
    withoutApiTypes: true,
  },
  { name: 'temporal', path: dir('temporal'), may: [dir('temporal'), dir('config'), SHARED, UTIL] },
  {
    name: 'worker',
    path: dir('worker'),
    may: [
      dir('worker'),
      dir('activities'),
      dir('connections'),
      dir('config'),
      dir('logging'),
      dir('temporal'),
      UTIL,
    ],
  },
  { name: 'webhooks', path: dir('webhooks'), may: [dir('webhooks'), PLEO, SHARED, UTIL] },
  // The application's services and the CLI are the top: they may use every layer, the app not the CLI.
  { name: 'app', path: dir('app'), may: ['^src/(?!cli/)', ...SANDBOXES, ...DEMO_DATA] },
  { name: 'cli', path: dir('cli'), may: ['^src/', ...SANDBOXES, ...DEMO_DATA] },
  {
    // A stand-in for an outside API is a development and test tool, not part of the service: it knows
    // the API's types and the demo data, never the service's code.
    name: 'sandboxes',
    path: SANDBOXES,
    may: [...SANDBOXES, ...DEMO_DATA],
  },
];

/** The project's own modules (not npm, not Node): what the layer entries restrict. */
const PROJECT = ['^src/', pkg('[^/]+')];

const rule = (name, comment, from, to) => ({ name, severity: 'error', comment, from, to });

module.exports = {
  forbidden: [
    ...LAYERS.map(({ name, path, may, withoutApiTypes }) => {
      const allowed = [...may, ...(withoutApiTypes ? [] : PLEO_API)];
      return rule(
        `layer-${name}`,
        `${name} may import only ${allowed.join(', ')}`,
        { path },
        { path: PROJECT, pathNot: allowed },
      );
    }),
    rule(
      'no-circular',
      'Modules in a cycle are one unit: they can only be understood, tested and moved together.',
      {},
      { circular: true },
    ),
    rule(
      'workflow-imports-activity-types-only',
      'Workflow code runs in the deterministic sandbox: it proxies activities by their type (import type), never loads them.',
      { path: dir('workflows') },
      { path: dir('activities'), dependencyTypesNot: ['type-only'] },
    ),
    rule(
      'no-workflow-code-outside-workflows',
      'Only the worker loads workflow code (bundled by its path); others start workflows by the type names in src/shared.',
      { pathNot: dir('workflows') },
      { path: dir('workflows'), dependencyTypesNot: ['type-only'] },
    ),
    rule(
      'sandbox-only-in-the-demo',
      'The stand-ins for Pleo and Xero are development tools: only the demo (app/demo.ts, `start`) and the `sandbox` command load them.',
      {
        path: '^src/',
        pathNot: [
          ...SANDBOXES,
          '^src/app/(demo|start)\\.ts$',
          '^src/cli/(commands/)?(start|run|demo|sandbox|xero-sandbox)\\.ts$',
        ],
      },
      { path: SANDBOXES },
    ),
    rule(
      'no-orphans',
      'A module nothing imports and that imports nothing is dead code or a forgotten entry point.',
      { orphan: true },
      {},
    ),
    rule(
      'not-to-unresolvable',
      'An import that does not resolve is a missing module or package: no arrow to check.',
      {},
      { couldNotResolve: true },
    ),
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // `import type` edges stay in the graph, marked type-only, so the rules above can tell them apart.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    // Workspace packages export their modules by pattern ("./*": "./src/*.ts"): resolve as Node does.
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['require', 'import', 'node', 'default', 'types'],
    },
  },
};
