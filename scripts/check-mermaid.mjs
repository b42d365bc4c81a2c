// Parses Mermaid text from standard input with the real mermaid parser; exits 1 with the parse error.
// mermaid needs a DOM (DOMPurify), so one is provided by jsdom. Used by test/monitoring/topology.test.ts.
import { JSDOM } from 'jsdom';

const dom = new JSDOM('<!doctype html><html><body></body></html>');
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const { default: mermaid } = await import('mermaid');

let text = '';
for await (const chunk of process.stdin) {
  text += chunk;
}
try {
  const result = await mermaid.parse(text);
  console.log(JSON.stringify(result));
} catch (error) {
  console.error(error.message);
  process.exit(1);
}
