// `testTimeout` is a global option that jest ignores inside a project, so the integration
// project sets its own here: these tests wait on real services (rebalances, retries).
jest.setTimeout(180_000);
