// Each drill bounds its own waits (and says which one ran out); this is the backstop. jest
// ignores testTimeout inside a project, so it is set here.
jest.setTimeout(15 * 60_000);
