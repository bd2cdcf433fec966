import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { LabError } from "../../platform/errors.ts";
import type { JvmDist } from "./jvm-dist.ts";

/** What every JVM the lab starts shares: heap sized for two cores, one log config, a marker. */
export interface JvmLaunch {
  heap: { initialMb: number; maxMb: number };
  mainClass: string;
  args: string[];
}

/** Passed as a system property so `isRunning` can tell our JVM from a process that reused its pid. */
export function processMarker(labDir: string, component: string): string {
  return `-Dcdc-es-lab.component=${component}@${labDir}`;
}

export function javaArgs(dist: JvmDist, log4jConfig: string, marker: string, launch: JvmLaunch): string[] {
  return [
    `-Xms${launch.heap.initialMb}m`,
    `-Xmx${launch.heap.maxMb}m`,
    // Serial GC: small heaps, two cores, no parallel GC threads competing with the other JVM.
    "-XX:+UseSerialGC",
    "-Djava.awt.headless=true",
    `-Dlog4j2.configurationFile=${log4jConfig}`,
    marker,
    "-cp",
    `${dist.libsDir}/*`,
    launch.mainClass,
    ...launch.args,
  ];
}

/** Fills `${NAME}` placeholders of a file under infra/jvm/conf; every placeholder must be given. */
export function renderTemplate(projectDir: string, templateName: string, values: Record<string, string>, target: string): void {
  const template = readFileSync(path.join(projectDir, "infra", "jvm", "conf", templateName), "utf8");
  const rendered = template.replace(/\$\{([A-Z_]+)\}/g, (_match, name: string) => {
    const value = values[name];
    if (value === undefined) throw new LabError("ConfigInvalid", `template ${templateName} uses \${${name}}, which the lab does not provide`);
    return value;
  });
  writeFileSync(target, rendered);
}
