import net from "node:net";
import { LabError } from "../../platform/errors.ts";

/** A port the OS says is free now. The lab records it, so the next `up` uses the same one. */
export async function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export async function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

/** A free port none of `taken` (ports chosen for this lab a moment ago, not yet listened on). */
export async function findFreePortExcept(taken: ReadonlySet<number>): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const port = await findFreePort();
    if (!taken.has(port)) return port;
  }
  throw new LabError("PortInUse", `the OS kept offering ports already chosen for this lab (${[...taken].join(", ")})`);
}

/** `setting` is the variable that moves the port; null for one the lab chose and recorded itself. */
export async function requirePortFree(port: number, component: string, setting: string | null): Promise<void> {
  if (await isPortFree(port)) return;
  throw new LabError("PortInUse", `port ${port} for ${component} is already in use by another process`, {
    details: { port, component, setting },
    hint:
      setting === null
        ? "Free the port: the lab chose it at its first `up` and recorded it in state.json (`cdc-es-lab down --purge` forgets it, with the lab's data)."
        : `Free the port, or set ${setting} to another port (0 picks a free one).`,
  });
}
