// Several unit tests run the whole program under Pulumi's mocks, twice or more, which takes a few
// seconds on an idle 2-core machine and more while a build shares it; jest's default of 5 s then
// fails them for the machine's load, not for anything they check. jest ignores testTimeout inside
// a project, so it is set here.
jest.setTimeout(60_000);
