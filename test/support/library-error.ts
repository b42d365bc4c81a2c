/**
 * Asserts that `error` is the library's own refusal: an Error (never a TypeError) whose message has a rule
 * id or a fix, and no "undefined", token placeholder or "[object Object]" leaked into it.
 */
export function expectLibraryError(error: unknown): void {
  expect(error).toBeInstanceOf(Error);
  expect(error).not.toBeInstanceOf(TypeError);
  const message = (error as Error).message;
  expect(message).toMatch(/\[[A-Za-z]+\] |Fix: /);
  expect(message).not.toMatch(/\bundefined\b|\$\{Token\[|\[object Object\]/);
}
