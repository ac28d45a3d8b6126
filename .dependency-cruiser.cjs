// The layout's import rules (docs/architecture.md, "Parts and their arrows"), checked over every
// import: static, type-only, dynamic `import()`, `require` and re-exports. `npm test` runs
// `depcruise --config .dependency-cruiser.cjs src` as a gate; `tests/architecture/import-rules.test.ts`
// seeds a violation of each rule and proves the rule catches it.
//
// Parts, top to bottom (an arrow may only point down):
//   shell (src/main outside core), preload, renderer, hub
//   core (src/main/core)
//   common (src/common: Node code the hub and the workstation share)
//   shared (src/shared: the contract and pure domain logic, runs anywhere)
// Tests (`*.test.ts(x)`, tests/, bench/, scripts/) may import anything.

const TEST_FILE = '\\.test\\.tsx?$';
const OURS = '^(src|tests|bench|scripts)/';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'shared-imports-only-shared',
      comment:
        'src/shared is the contract and pure domain logic: it imports nothing of ours but itself ' +
        '(and the bundled reference data in resources/).',
      severity: 'error',
      from: { path: '^src/shared/', pathNot: TEST_FILE },
      to: { path: OURS, pathNot: '^src/shared/' },
    },
    {
      name: 'shared-runs-anywhere',
      comment: 'src/shared runs in the renderer, preload, core and hub: no Node built-ins, no Electron.',
      severity: 'error',
      from: { path: '^src/shared/', pathNot: TEST_FILE },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'common-imports-only-shared',
      comment:
        'src/common is Node code the hub and the workstation both use: it imports only src/shared and ' +
        'itself, never either program.',
      severity: 'error',
      from: { path: '^src/common/', pathNot: TEST_FILE },
      to: { path: OURS, pathNot: '^src/(shared|common)/' },
    },
    {
      name: 'renderer-imports-only-shared',
      comment:
        'The renderer imports only src/shared and its own code; it reaches the core through the ' +
        'typed client, never by import.',
      severity: 'error',
      from: { path: '^src/renderer/', pathNot: TEST_FILE },
      to: { path: OURS, pathNot: '^src/(shared|renderer)/' },
    },
    {
      name: 'renderer-is-a-web-page',
      comment: 'The renderer is sandboxed: no Node built-ins.',
      severity: 'error',
      from: { path: '^src/renderer/', pathNot: TEST_FILE },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'preload-imports-only-shared',
      comment: 'The preload is a logic-free bridge: it imports src/shared (the channel names) and electron only.',
      severity: 'error',
      from: { path: '^src/preload/', pathNot: TEST_FILE },
      to: { path: OURS, pathNot: '^src/shared/' },
    },
    {
      name: 'core-never-imports-the-shell-renderer-preload-or-hub',
      comment:
        'src/main/core is plain Node so the test host can run it: never the Electron shell, the ' +
        'renderer, the preload or the hub (the hosts start the embedded hub and pass its address).',
      severity: 'error',
      from: { path: '^src/main/core/', pathNot: TEST_FILE },
      to: { path: '^src/(main/(?!core/)|renderer/|preload/|hub/)' },
    },
    {
      name: 'core-images-below-sync',
      comment:
        'Inside the core, sync drives images and the outbox, never the other way round (this was a ' +
        'loop: images, sync and outbox imported each other).',
      severity: 'error',
      from: { path: '^src/main/core/images/', pathNot: TEST_FILE },
      to: { path: '^src/main/core/(sync|services|cases|decisions|letters|retention)/' },
    },
    {
      name: 'core-outbox-below-images-and-sync',
      comment: 'The outbox queues and sends rows for others; it imports none of the features that queue them.',
      severity: 'error',
      from: { path: '^src/main/core/outbox/', pathNot: TEST_FILE },
      to: { path: '^src/main/core/(images|sync|services|cases|decisions|audit|letters|retention)/' },
    },
    {
      name: 'core-hub-client-is-a-leaf',
      comment: 'The hub client (HTTP, validation, bounded lanes) imports nothing else of the core.',
      severity: 'error',
      from: { path: '^src/main/core/hub-client/', pathNot: TEST_FILE },
      to: { path: '^src/main/core/(?!hub-client/)' },
    },
    {
      name: 'core-case-state-imports-only-the-database',
      comment: 'The case state machine is the bottom of the core: it needs only the database.',
      severity: 'error',
      from: { path: '^src/main/core/case-state/', pathNot: TEST_FILE },
      to: { path: '^src/main/core/(?!db/|case-state/)' },
    },
    {
      name: 'no-circular',
      comment:
        'No module loads itself back through others at run time (a cycle made only of type imports ' +
        'is erased by the compiler and allowed).',
      severity: 'error',
      from: { path: '^src/', pathNot: TEST_FILE },
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'electron-only-in-the-shell-and-preload',
      comment:
        'Only the shell (src/main outside core) and the preload may import electron (or electron-store, ' +
        'which needs it).',
      severity: 'error',
      from: { path: '^src/', pathNot: ['^src/main/(?!core/)', '^src/preload/', TEST_FILE] },
      to: { path: ['^electron(-store)?$', '(^|/)node_modules/electron(-store)?/'] },
    },
    {
      name: 'hub-never-imports-main',
      comment:
        'The hub is its own program: it imports src/shared, src/common and itself, never the ' +
        'workstation (src/main), its preload or its renderer.',
      severity: 'error',
      from: { path: '^src/hub/', pathNot: TEST_FILE },
      to: { path: '^src/(main|preload|renderer)/' },
    },
    {
      name: 'shell-never-imports-the-renderer-or-preload',
      comment: 'The shell loads the renderer and preload as built files, never by import.',
      severity: 'error',
      from: { path: '^src/main/(?!core/)', pathNot: TEST_FILE },
      to: { path: '^src/(renderer|preload)/' },
    },
    {
      name: 'shell-reaches-the-hub-only-to-embed-it',
      comment:
        'The demo hub is started in-process by src/main/embedded-hub.ts alone (lazily); nothing else ' +
        'in the shell imports the hub.',
      severity: 'error',
      from: { path: '^src/main/(?!core/)', pathNot: ['^src/main/embedded-hub\\.ts$', TEST_FILE] },
      to: { path: '^src/hub/' },
    },
    {
      name: 'production-code-never-imports-tests',
      comment: 'Nothing under src/ (apart from tests beside their code) imports tests/, bench/ or scripts/.',
      severity: 'error',
      from: { path: '^src/', pathNot: TEST_FILE },
      to: { path: '^(tests|bench|scripts)/' },
    },
    {
      name: 'no-unresolvable-import',
      comment: 'An import the cruiser cannot resolve cannot be checked: every import must resolve.',
      severity: 'error',
      from: { path: '^src/' },
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Type-only imports are arrows too (they tie the parts' code together just the same).
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.base.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json', '.d.ts'],
    },
    reporterOptions: {
      archi: {
        collapsePattern: '^src/(main/core|main|common|shared|preload|renderer|hub)/',
      },
    },
  },
};
