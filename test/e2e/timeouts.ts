// The first run may build the Pulumi toolchain (about 5 minutes cold); each CLI call then takes
// seconds. jest ignores testTimeout inside a project, so it is set here.
jest.setTimeout(30 * 60_000);
