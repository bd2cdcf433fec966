import { printable } from "./printable-text.ts";

const ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/**
 * Every string that reaches the HTML report from results.json goes through here: scenario
 * claims, problem messages and log tails come from outside the report and may hold markup.
 * Safe in text and in quoted attributes alike.
 */
export function escapeHtml(value: string): string {
  return printable(value).replace(/[&<>"']/g, (char) => ENTITIES[char] ?? char);
}
