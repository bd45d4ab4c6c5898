// Total readers of wire JSON, used by snapshot.ts only. Any value may come in (the API server,
// a hand-edited file, a YAML that quoted a number); each reader returns what it can and writes a
// note naming the field when the value was not what the API sends. Nothing here throws.

import { parseTime, runLength } from './time.ts';

/** Times later than the observation by more than this are noted as clock skew. */
export const SKEW_NOTED_MS = 60_000;
/** ... and by more than this are no clock's skew: not facts. */
export const SKEW_IGNORED_MS = 86_400_000;
/** At most this many notes per object: a broken object should not fill the screen. */
const MAX_NOTES = 12;
const MAX_SHOWN = 40;

/** Shared by every object read without a problem (most of them). */
const NONE: readonly string[] = Object.freeze([]);

export type Json = Readonly<Record<string, unknown>>;

/** A short, safe rendering of an unexpected value for a note. */
function shown(v: unknown): string {
  if (Array.isArray(v)) return 'a list';
  if (v === null) return 'null';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return JSON.stringify(v.length > MAX_SHOWN ? `${v.slice(0, MAX_SHOWN)}…` : v);
  return String(v);
}

export class Reader {
  readonly notes: string[] = [];
  private dropped = 0;

  /** observedAt: when the object was observed; times beyond it (plus a tolerance) are not believed. */
  constructor(readonly observedAt: number) {}

  note(path: string, problem: string): void {
    if (this.notes.length < MAX_NOTES) this.notes.push(`${path}: ${problem}`);
    else this.dropped++;
  }

  /** The notes, with a count of those left out. */
  result(): readonly string[] {
    if (this.notes.length === 0) return NONE;
    return this.dropped > 0 ? [...this.notes, `${this.dropped} more unreadable field(s)`] : this.notes;
  }

  /** An object; absent or null is undefined without a note. */
  obj(v: unknown, path: string): Json | undefined {
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'object' && !Array.isArray(v)) return v as Json;
    this.note(path, `${shown(v)} where an object belongs, ignored`);
    return undefined;
  }

  /** A list; absent or null is empty. A non-list is noted and read as empty. */
  list(v: unknown, path: string): readonly unknown[] {
    if (v === undefined || v === null) return [];
    if (Array.isArray(v)) return v;
    this.note(path, `${shown(v)} where a list belongs, ignored`);
    return [];
  }

  /** A list of objects: entries that are not objects are noted and skipped. */
  objects(v: unknown, path: string): readonly { readonly value: Json; readonly index: number }[] {
    const out: { value: Json; index: number }[] = [];
    this.list(v, path).forEach((x, index) => {
      if (x !== null && typeof x === 'object' && !Array.isArray(x)) out.push({ value: x as Json, index });
      else this.note(`${path}[${index}]`, `${shown(x)} where an object belongs, skipped`);
    });
    return out;
  }

  /** A string. Numbers and booleans are read as their text (noted); anything else is unknown. */
  /**
   * A string that many objects repeat (a namespace, an image, a condition's reason and message):
   * read as str(), and one copy kept for all of them (each object parsed from the wire has its own).
   */
  word(v: unknown, path: string): string | undefined {
    const s = this.str(v, path);
    return s === undefined ? undefined : intern(s);
  }

  str(v: unknown, path: string): string | undefined {
    if (typeof v === 'string') return v;
    if (v === undefined || v === null) return undefined;
    if ((typeof v === 'number' && Number.isFinite(v)) || typeof v === 'boolean') {
      this.note(path, `${shown(v)} where a string belongs, read as text`);
      return String(v);
    }
    this.note(path, `${shown(v)} where a string belongs, ignored`);
    return undefined;
  }

  /** A list of strings (a command, args): other entries are read as text or skipped, noted. */
  strings(v: unknown, path: string): readonly string[] {
    const out: string[] = [];
    this.list(v, path).forEach((x, i) => {
      const s = this.str(x, `${path}[${i}]`);
      if (s !== undefined) out.push(s);
    });
    return out;
  }

  /**
   * A JSON number. A string holding a decimal number is read as that number (noted: it is what the
   * writer meant, and showing it is better than hiding it); anything else is unknown (noted).
   */
  num(v: unknown, path: string): number | undefined {
    if (typeof v === 'number') {
      if (Number.isFinite(v)) return v;
      this.note(path, `${shown(v)} is not a usable number, ignored`);
      return undefined;
    }
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(v) && Number.isFinite(Number(v))) {
      this.note(path, `the string ${shown(v)} where a number belongs, read as ${Number(v)}`);
      return Number(v);
    }
    this.note(path, `${shown(v)} where a number belongs, ignored`);
    return undefined;
  }

  /** A whole number (counts, exit codes, seconds). */
  int(v: unknown, path: string): number | undefined {
    const n = this.num(v, path);
    if (n === undefined || Number.isSafeInteger(n)) return n;
    this.note(path, `${n} is not a whole number, ignored`);
    return undefined;
  }

  /** A whole number the API declares int32 (counts, exit codes, probe settings): beyond that, not one. */
  int32(v: unknown, path: string): number | undefined {
    const n = this.int(v, path);
    if (n === undefined || (n >= -2147483648 && n <= 2147483647)) return n;
    this.note(path, `${n} is out of range, ignored`);
    return undefined;
  }

  /** A boolean; the strings "true"/"false" are read as such (noted). */
  bool(v: unknown, path: string): boolean | undefined {
    if (typeof v === 'boolean') return v;
    if (v === undefined || v === null) return undefined;
    if (v === 'true' || v === 'false') {
      this.note(path, `the string ${shown(v)} where a boolean belongs, read as ${v}`);
      return v === 'true';
    }
    this.note(path, `${shown(v)} where a boolean belongs, ignored`);
    return undefined;
  }

  /**
   * A timestamp (see parseTime for the forms). Zero/epoch times are unknown without a note (the
   * runtime writes them for "never"); an unparsable one is noted. Unless `future` is allowed (the
   * deletion deadline), a time later than the observation is clock skew: kept with a note beyond a
   * minute, unknown beyond a day (no clock is that wrong; "980y ago" helps nobody).
   */
  time(v: unknown, path: string, future = false): number | undefined {
    if (v === undefined || v === null || v === '') return undefined;
    if (typeof v !== 'string') {
      this.note(path, `${shown(v)} where a time belongs, ignored`);
      return undefined;
    }
    const t = parseTime(v);
    if (t === undefined) {
      if (!/^(0001-01-01|1970-01-01)[T ]00:00:00/.test(v.trim())) this.note(path, `${shown(v)} is not a time, ignored`);
      return undefined;
    }
    if (!future && t > this.observedAt + SKEW_NOTED_MS) {
      const ahead = t - this.observedAt;
      if (ahead > SKEW_IGNORED_MS) {
        this.note(path, `${v} is later than the observation by more than a day, ignored`);
        return undefined;
      }
      this.note(path, `${v} is ${runLength(ahead)} later than the observation (clock skew?)`);
    }
    return t;
  }
}

/** One copy of each repeated string, in a bounded table (emptied when full: a memo, not a store). */
const words = new Map<string, string>();
const MAX_WORDS = 8192;
const MAX_WORD_LENGTH = 1024;
export function intern(s: string): string {
  if (s.length > MAX_WORD_LENGTH) return s;
  const hit = words.get(s);
  if (hit !== undefined) return hit;
  if (words.size >= MAX_WORDS) words.clear();
  words.set(s, s);
  return s;
}
