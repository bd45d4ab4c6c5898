// Colour decided per stream, as other CLIs decide it: --color always|never, else FORCE_COLOR
// (non-empty and not 0/false forces it), NO_COLOR (non-empty turns it off), TERM=dumb (off), else
// whether that stream is a terminal. Apart from terminal.ts so that deciding it loads no width tables.

export type ColorMode = 'auto' | 'always' | 'never';

export function useColor(mode: ColorMode, stream: { readonly isTTY?: boolean | undefined }, env: NodeJS.ProcessEnv): boolean {
  if (mode === 'always') return true;
  if (mode === 'never') return false;
  const force = env['FORCE_COLOR'];
  if (force !== undefined) return !(force === '0' || force.toLowerCase() === 'false');
  if (env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '') return false;
  if (env['TERM'] === 'dumb') return false;
  return stream.isTTY === true;
}
