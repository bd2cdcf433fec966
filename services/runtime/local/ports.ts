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

export async function requirePortFree(port: number, component: string, setting: string): Promise<void> {
  if (await isPortFree(port)) return;
  throw new LabError("PortInUse", `port ${port} for ${component} is already in use by another process`, {
    details: { port, component, setting },
    hint: `Free the port, or set ${setting} to another port (0 picks a free one).`,
  });
}
