import { expect } from "chai";
import { devStack, type Stack } from "./support/program";
import { named, ofType } from "./support/stackQueries";

describe("the site: CloudFront in front of the private bucket", () => {
  let stack: Stack;
  before(async function () {
    // The program runs under mocks: slower than the suite's 30 s default on a loaded machine.
    this.timeout(180_000);
    stack = await devStack();
  });
  const distribution = () => ofType(stack, "aws:cloudfront/distribution:Distribution")[0]!;

  it("answers over HTTPS only: HTTP is redirected, the certificate is CloudFront's", () => {
    expect(distribution().inputs.defaultCacheBehavior.viewerProtocolPolicy).to.equal("redirect-to-https");
    expect(distribution().inputs.viewerCertificate).to.deep.equal({ cloudfrontDefaultCertificate: true });
    expect(stack.outputs.siteUrl).to.equal(`https://${distribution().state.domainName}`);
  });

  it("serves index.html for the app's routes and files as they are", () => {
    const fn = ofType(stack, "aws:cloudfront/function:Function")[0]!;
    expect(distribution().inputs.defaultCacheBehavior.functionAssociations).to.deep.equal([{ eventType: "viewer-request", functionArn: fn.state.arn }]);
    const route = (uri: string) => {
      const handler = new Function(`${fn.inputs.code}; return handler;`)() as (e: { request: { uri: string } }) => { uri: string };
      return handler({ request: { uri } }).uri;
    };
    expect(route("/")).to.equal("/index.html");
    expect(route("/channels/general")).to.equal("/index.html");
    expect(route("/config.json")).to.equal("/config.json");
    expect(route("/assets/index-4f3a.js")).to.equal("/assets/index-4f3a.js");
  });

  it("adds security headers to every answer: HSTS, nosniff, DENY framing, a CSP limited to the APIs and Cognito", () => {
    const policy = ofType(stack, "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy")[0]!;
    expect(distribution().inputs.defaultCacheBehavior.responseHeadersPolicyId).to.equal(policy.id);
    const headers = policy.inputs.securityHeadersConfig;
    expect(headers.strictTransportSecurity.accessControlMaxAgeSec).to.be.at.least(31536000);
    expect(headers.contentTypeOptions.override).to.equal(true);
    expect(headers.frameOptions.frameOption).to.equal("DENY");
    const csp = headers.contentSecurityPolicy.contentSecurityPolicy as string;
    const region = stack.config["aws:region"];
    expect(csp).to.include("default-src 'self'");
    expect(csp).to.include(`connect-src 'self' https://*.execute-api.${region}.amazonaws.com wss://*.execute-api.${region}.amazonaws.com https://cognito-idp.${region}.amazonaws.com`);
    expect(csp).to.include("frame-ancestors 'none'");
  });

  it("uploads config.json, generated from the stack's outputs, revalidated on every load", () => {
    const config = named(stack, "aws:s3/bucketObjectv2:BucketObjectv2", "web-config.json");
    expect(config.inputs).to.deep.include({ key: "config.json", bucket: stack.outputs.siteBucketName, contentType: "application/json", cacheControl: "no-cache" });
    const body = JSON.parse(config.inputs.content);
    expect(Object.keys(body).sort()).to.deep.equal(stack.outputs.wsUrl ? ["apiUrl", "auth", "wsUrl"] : ["apiUrl", "auth"]);
  });
});
