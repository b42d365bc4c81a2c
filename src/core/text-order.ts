/**
 * One order for names, paths and resolved values, the same on every machine.
 *
 * `String.prototype.localeCompare` without a locale follows the process's locale (`LANG`, `LC_ALL`): a Czech
 * machine sorts "Help" before "Chat", a Swedish one "z" before "ö". Where the library sorts to make a template or
 * an artifact independent of construction order (callers, edges, the redeploy nonce's tokens), that would make
 * the output depend on the machine instead: a developer's synth and CI's could differ, and a nonce that differs
 * starts a deployment. US English is the order the library has always produced on an English or C-locale
 * machine, so fixing it changes nothing there.
 */
const collator = new Intl.Collator('en-US');

/** Compares `a` and `b` in US English collation, whatever the machine's locale; for `Array.prototype.sort`. */
export function compareText(a: string, b: string): number {
  return collator.compare(a, b);
}
