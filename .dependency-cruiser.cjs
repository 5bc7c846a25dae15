// Layering and cycle check for src/ (issue 12). Run by `npm run lint` as `npm run depcheck`.
// An arrow points from a layer to the layers it may import:
//   protocol ← transcript ← client, server ← scenarios ← web ← grader ← cli
// web sits below grader: the grader's HTML report (grader/report-html.ts) draws sessions with the
// web view's session-view.ts, and the web view shows check verdicts without importing the grader.
// src/i18n/ and src/text.ts are shared leaves: any layer may import them, they import only each other.
// src/index.ts is the library's public surface and may import any layer.
// Type-only imports count (tsPreCompilationDeps), so a type-only cycle is a cycle.

/** Layers in order, lowest first; a layer may import its own rank and any lower rank. */
const ranks = [
  ['protocol'],
  ['transcript'],
  ['client', 'server'],
  ['scenarios'],
  ['web'],
  ['grader'],
  ['cli'],
];

const layerRules = ranks.flatMap((layers, rank) => {
  const higher = ranks.slice(rank + 1).flat();
  const siblings = (layer) => layers.filter((other) => other !== layer);
  return layers.map((layer) => {
    const forbidden = [...higher, ...siblings(layer)];
    return {
      name: `layer-${layer}`,
      comment: `src/${layer}/ may not import ${forbidden.map((f) => `src/${f}/`).join(', ')} (higher or sibling layers)`,
      severity: 'error',
      from: { path: `^src/${layer}/` },
      to: { path: `^src/(${forbidden.join('|')})/` },
    };
  });
});

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'No import cycles, type-only ones included.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    ...layerRules,
    {
      name: 'shared-leaves',
      comment: 'src/i18n/ and src/text.ts are shared leaves: they import only each other.',
      severity: 'error',
      from: { path: '^src/(i18n/|text\\.ts$)' },
      to: { path: '^src/', pathNot: '^src/(i18n/|text\\.ts$)' },
    },
    {
      name: 'no-public-index-inside',
      comment: 'src/index.ts is the public surface for library users; nothing inside src/ imports it.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/index\\.ts$' },
      to: { path: '^src/index\\.ts$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|node_modules)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.mjs', '.cjs', '.d.ts'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
