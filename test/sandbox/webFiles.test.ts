import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { expect } from "chai";
import * as httpApi from "../../infra/local/httpApi";
import { removeDir, tempDataDir, testContext } from "../support/sandboxContext";

describe("sandbox web origin with a built app", () => {
  let dir: string;
  let door: httpApi.HttpApiService;

  before(async () => {
    dir = await tempDataDir();
    const webRoot = path.join(dir, "dist");
    await mkdir(path.join(webRoot, "assets"), { recursive: true });
    await writeFile(path.join(webRoot, "index.html"), "<!doctype html><title>chat</title>");
    await writeFile(path.join(webRoot, "assets", "app.js"), "console.log(1)");
    await writeFile(path.join(dir, "secret.txt"), "outside the web root");
    door = await httpApi.start(testContext(dir), {
      port: 0,
      userPoolId: "local_pool",
      clientId: "client",
      cognitoUrl: "http://127.0.0.1:1",
      issuer: "http://127.0.0.1:1/local_pool",
      jwksUrl: "http://127.0.0.1:1/local_pool/.well-known/jwks.json",
      webRoot,
    });
  });
  after(async () => {
    await door.stop();
    await removeDir(dir);
  });

  it("serves files of web/dist with their content type", async () => {
    const response = await fetch(`${door.url}/assets/app.js`);
    expect(response.status).to.equal(200);
    expect(response.headers.get("content-type")).to.contain("text/javascript");
    expect(await response.text()).to.equal("console.log(1)");
  });

  it("serves index.html at / and for app routes a browser opens", async () => {
    for (const route of ["/", "/channels/general"]) {
      const response = await fetch(`${door.url}${route}`, { headers: { accept: "text/html" } });
      expect(response.status, route).to.equal(200);
      expect(await response.text()).to.contain("<title>chat</title>");
    }
  });

  it("answers 404 JSON for a missing asset, and never serves a file outside web/dist", async () => {
    for (const route of ["/assets/missing.js", "/../secret.txt", "/%2e%2e/secret.txt"]) {
      const response = await fetch(`${door.url}${route}`);
      expect(response.status, route).to.equal(404);
      expect(await response.text()).to.not.contain("outside the web root");
    }
  });
});
