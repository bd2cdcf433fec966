import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    reporters: ["default", "./test/summary-reporter.ts"],
    projects: [
      {
        test: {
          name: "unit",
          include: ["test/unit/**/*.test.ts"],
        },
      },
      {
        test: {
          name: "browser",
          include: ["test/browser/**/*.test.ts"],
          // Launching Chromium takes a few seconds on two cores.
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: "integration",
          include: ["test/integration/**/*.test.ts"],
          // One real stack for the whole run, started through the same Runtime the CLI uses.
          globalSetup: ["test/integration/stack-setup.ts"],
          testTimeout: 120_000,
          hookTimeout: 300_000,
          // Tests share one PostgreSQL, broker and Connect worker: run files one after another
          // so their timings on two cores stay readable.
          poolOptions: { forks: { singleFork: true } },
        },
      },
      {
        test: {
          // npm run test:docker: the compose lab started by testcontainers (LAB_DOCKER_FLAVOR picks
          // the images). Not part of `npm test`: it needs a Docker engine, which .ci/run starts.
          name: "docker",
          include: ["test/docker/**/*.test.ts"],
          globalSetup: ["test/docker/docker-stack-setup.ts"],
          testTimeout: 300_000,
          hookTimeout: 600_000,
          poolOptions: { forks: { singleFork: true } },
        },
      },
    ],
  },
});
