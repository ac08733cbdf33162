/** @type {import('jest').Config} */
const tsJest = ["ts-jest", { tsconfig: "tsconfig.json", diagnostics: { warnOnly: false } }];

module.exports = {
  projects: [
    {
      displayName: "unit",
      testEnvironment: "node",
      // @pulumi/pulumi keeps its run state on the global object, shared by the files a worker
      // runs: keep it, as before, without a deprecation warning per file.
      testEnvironmentOptions: { globalsCleanup: "off" },
      transform: { "^.+\\.ts$": tsJest },
      testMatch: ["<rootDir>/test/unit/**/*.test.ts"],
      setupFilesAfterEnv: ["<rootDir>/test/unit/timeouts.ts"],
    },
    {
      displayName: "integration",
      testEnvironment: "node",
      transform: { "^.+\\.ts$": tsJest },
      testMatch: ["<rootDir>/test/integration/**/*.test.ts"],
      globalSetup: "<rootDir>/test/integration/globalSetup.ts",
      globalTeardown: "<rootDir>/test/integration/globalTeardown.ts",
      setupFilesAfterEnv: ["<rootDir>/test/integration/timeouts.ts"],
    },
    {
      // The real Pulumi engine (scripts/toolchain/index.ts) on the local platform.
      displayName: "e2e",
      testEnvironment: "node",
      transform: { "^.+\\.ts$": tsJest },
      testMatch: ["<rootDir>/test/e2e/**/*.test.ts"],
      globalSetup: "<rootDir>/test/integration/globalSetup.ts",
      globalTeardown: "<rootDir>/test/integration/globalTeardown.ts",
      setupFilesAfterEnv: ["<rootDir>/test/e2e/timeouts.ts"],
    },
    {
      // Failure drills on the cluster profile (three KRaft nodes, three Connect workers).
      displayName: "drills",
      testEnvironment: "node",
      transform: { "^.+\\.ts$": tsJest },
      testMatch: ["<rootDir>/test/drills/**/*.test.ts"],
      globalSetup: "<rootDir>/test/drills/globalSetup.ts",
      globalTeardown: "<rootDir>/test/drills/globalTeardown.ts",
      setupFilesAfterEnv: ["<rootDir>/test/drills/timeouts.ts"],
    },
  ],
};
