/** `npm start -- --faults …`: parsed strictly, refused with a clear message and exit code 2. */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { expect } from "chai";
import { options, UsageError } from "../../infra/local/main";

const repoRoot = path.resolve(__dirname, "../..");

describe("npm start -- --faults", () => {
  it("passes the rates, and a seed, to the sandbox", () => {
    const spec = "api=0.1,append-crash=0.1,publish=0.2,s3-put=0.1,projection=0.1,duplicate=0.2,delay=0.3";
    expect(options(["--faults", spec, "--fault-seed", "7"]).faults).to.deep.equal({
      rates: { api: 0.1, "append-crash": 0.1, publish: 0.2, "s3-put": 0.1, projection: 0.1, duplicate: 0.2, delay: 0.3 },
      seed: 7,
    });
    expect(options(["--port", "4000"]).faults).to.equal(undefined);
  });

  it("refuses bad input with a message that says what is wrong", () => {
    const cases: [string[], RegExp][] = [
      [["--faults", "api=2"], /--faults: the rate of api must be a number from 0 to 1/],
      [["--faults", "lag=0.1"], /--faults: "lag" is not a fault; known faults: api, append-crash, publish, s3-put, projection, duplicate, delay/],
      [["--faults", ""], /--faults: no faults given/],
      [["--faults", "api=0.1", "--fault-seed", "x3"], /--fault-seed must be a whole number/],
      [["--fault-seed", "3"], /--fault-seed needs --faults/],
      [["--faults"], /argument missing/],
    ];
    for (const [args, message] of cases) {
      expect(() => options(args), args.join(" ")).to.throw(UsageError, message);
    }
  });

  it("exits with code 2 and the usage, before starting anything", function () {
    this.timeout(30_000);
    const run = spawnSync(path.join(repoRoot, "node_modules/.bin/tsx"), ["infra/local/main.ts", "--faults", "api=0.1,bogus=1"], { cwd: repoRoot, encoding: "utf8" });
    expect(run.status).to.equal(2);
    expect(run.stderr).to.include('npm start: --faults: "bogus" is not a fault');
    expect(run.stderr).to.include("usage: npm start -- ");
  });
});
