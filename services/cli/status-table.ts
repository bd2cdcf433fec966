import type { SlotStatus } from "../runtime/replication-slot.ts";
import type { StackStatus } from "../runtime/runtime.ts";

/** `status` for people: one line per component. `status --json` prints the StackStatus itself. */
export function formatStatus(status: StackStatus): string {
  const rows = status.components.map((component) => [
    component.component,
    component.up ? "up" : "down",
    component.pid === null ? "-" : String(component.pid),
    component.port === null ? "-" : String(component.port),
    component.version ?? "-",
    component.rssBytes === null ? "-" : `${Math.round(component.rssBytes / (1024 * 1024))} MiB`,
    component.detail ?? "",
  ]);
  const header = ["component", "state", "pid", "port", "version", "memory", "detail"];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? "").length)));
  const line = (cells: string[]) => cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join("  ").trimEnd();
  const lines = [`runtime: ${status.runtime}   stack: ${status.up ? "up" : "down"}`, line(header), ...rows.map(line)];
  if (status.endpoints !== null) {
    lines.push(
      "",
      `postgres: ${status.endpoints.postgresUrl}`,
      `kafka:    ${status.endpoints.kafkaBrokers.join(",")}`,
      `connect:  ${status.endpoints.connectUrl}`,
    );
  }
  return `${lines.join("\n")}\n`;
}

/** The replication slots under the component table, then the warnings (also on stderr). */
export function formatSlots(slots: readonly SlotStatus[], warnings: readonly string[]): string {
  if (slots.length === 0) return "\nreplication slots: none\n";
  const mib = (value: number | null) => (value === null ? "-" : `${(value / (1024 * 1024)).toFixed(1)} MiB`);
  const rows = slots.map((slot) => [slot.slotName, slot.active ? "active" : "inactive", slot.walStatus ?? "-", mib(slot.retainedBytes), mib(slot.confirmedLagBytes), slot.safeWalBytes === null ? "unlimited" : mib(slot.safeWalBytes)]);
  const header = ["slot", "state", "wal", "retained", "unconfirmed", "until invalidated"];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? "").length)));
  const line = (cells: string[]) => cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join("  ").trimEnd();
  return `\n${[line(header), ...rows.map(line), ...warnings.map((warning) => `warning: ${warning}`)].join("\n")}\n`;
}
