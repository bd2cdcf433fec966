/** Closes a `switch` over a union: adding a variant becomes a compile error here, not a silent miss. */
export function assertNever(value: never): never {
  throw new Error(`Unexpected variant: ${JSON.stringify(value)}`);
}
