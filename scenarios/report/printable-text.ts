/**
 * Text from results.json with its control characters replaced. A log tail or message may carry
 * terminal escape sequences (colours, screen clears) or NULs: raw, they would restyle a terminal
 * or make the HTML invalid. Line breaks and tabs stay: log tails need them.
 */
export function printable(value: string, replacement = "\uFFFD"): string {
  // eslint-disable-next-line no-control-regex
  return value.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g, replacement);
}
