// A Document as Markdown for a ticket: a heading per pod and its picture as a text block (plain:
// the same characters the terminal shows, no colour).

import type { Document } from '../render/document.ts';
import { lineText } from '../render/line.ts';

export function toMarkdown(doc: Document): string {
  const out = [`# ${doc.title}`, '', `_${doc.subtitle}_`];
  for (const s of doc.sections) {
    const text = s.lines.map((l) => lineText(l).trimEnd()).join('\n');
    // A fence longer than any run of backticks in the text.
    const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
    const fence = '`'.repeat(longest + 1);
    out.push('', `## ${s.title}`, '', `${fence}text`, text, fence);
  }
  return out.join('\n') + '\n';
}
