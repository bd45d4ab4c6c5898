// Ink modules podlife gives a wrapped version of another of Ink's modules: Ink's `importer` (a file
// of ink/build) importing `./file` receives `wrapper(that module's default export)`, the wrapper
// exported by `source` (from the checkout's root). scripts/build.mjs does it for the bundle, and
// bench/ink-as-built.ts for the benchmarks that draw a screen from the sources.
export const INK_WRAPS = [
  // The renderer's Output class: each distinct line's row made once (see that file).
  { importer: 'renderer.js', file: 'output.js', source: 'src/ui/fast-output.ts', wrapper: 'withFastRows' },
  // squashTextNodes sanitises each text node's string when Yoga measures it and when it is drawn:
  // the results remembered per string (most lines are the last frame's).
  { importer: 'squash-text-nodes.js', file: 'sanitize-ansi.js', source: 'src/ui/memo-text.ts', wrapper: 'memoText' },
  // Yoga's measure of a text node: a text of several lines (the rollout screen's frame) measured
  // line by line from remembered widths, instead of Ink's cache of the last 4,096 whole texts.
  { importer: 'dom.js', file: 'measure-text.js', source: 'src/ui/memo-text.ts', wrapper: 'measureLines' },
];

/** The module that stands for `file` in `importer`: the real one, wrapped. */
export function wrappedSource(realPath, wrapperPath, wrapper) {
  return `import real from ${JSON.stringify(realPath)};\nimport { ${wrapper} } from ${JSON.stringify(wrapperPath)};\nexport default ${wrapper}(real);\n`;
}
