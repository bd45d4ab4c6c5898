// A string function remembered over the strings it was last given. Ink sanitises the string of
// every text node each time Yoga measures it and each time it is drawn (ink/build/squash-text-
// nodes.js: sanitizeAnsi tokenises the text's escape codes); a frame of the pod or rollout screen
// is some forty lines of which a clock tick changes a few, so most of that work repeats the last
// frame's. scripts/build.mjs gives Ink's squashTextNodes memoText(sanitizeAnsi) in the bundle.
//
// Only for pure functions of the string. Two generations of at most `max` entries each: a string
// not asked for since the generation before the last is forgotten, so memory stays bounded
// whatever the screen shows.

export function memoText(f: (text: string) => string, max = 2048): (text: string) => string {
  let current = new Map<string, string>();
  let previous = new Map<string, string>();
  return (text) => {
    let out = current.get(text);
    if (out !== undefined) return out;
    out = previous.get(text) ?? f(text);
    current.set(text, out);
    if (current.size >= max) {
      previous = current;
      current = new Map();
    }
    return out;
  };
}
