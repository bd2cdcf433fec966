/** Whether a process of this pid exists (signal 0 checks without signalling). */
export function processAlive(pid: number): boolean {
  // kill(0 or a negative pid) signals a process group, not a process: such a pid names nobody.
  if (!(Number.isInteger(pid) && pid > 0)) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else; only ESRCH means it is gone.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
