import { expect } from "chai";
import { actionsRequiringStar } from "./support/iamActions";
import { devStack, type Stack } from "./support/program";
import { list, ofType, policyDocuments, type PolicyDocument } from "./support/stackQueries";

describe("private by default", () => {
  let stack: Stack;
  before(async function () {
    // The program runs under mocks: slower than the suite's 30 s default on a loaded machine.
    this.timeout(180_000);
    stack = await devStack();
  });
  const buckets = () => ofType(stack, "aws:s3/bucket:Bucket");
  const forBucket = (type: string, bucket: { id: string; state: Record<string, any> }) =>
    ofType(stack, type).filter((r) => r.inputs.bucket === bucket.id || r.inputs.bucket === bucket.state.bucket);

  it("blocks every kind of public access on every bucket", () => {
    expect(buckets()).to.have.length.greaterThan(1);
    for (const bucket of buckets()) {
      const blocks = forBucket("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", bucket);
      expect(blocks, bucket.name).to.have.length(1);
      expect(blocks[0]!.inputs).to.deep.include({ blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true });
    }
  });

  it("enforces the owner's ownership (ACLs disabled) and encrypts objects at rest in every bucket", () => {
    for (const bucket of buckets()) {
      const [ownership] = forBucket("aws:s3/bucketOwnershipControls:BucketOwnershipControls", bucket);
      expect(ownership?.inputs.rule, bucket.name).to.deep.equal({ objectOwnership: "BucketOwnerEnforced" });
      const [encryption] = forBucket("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", bucket);
      expect(encryption?.inputs.rules[0].applyServerSideEncryptionByDefault.sseAlgorithm, bucket.name).to.be.oneOf(["AES256", "aws:kms"]);
      expect(bucket.inputs.acl, bucket.name).to.equal(undefined);
    }
  });

  it("lets no one read the views bucket but the roles that name it: it has no bucket policy", () => {
    const views = buckets().find((b) => b.state.bucket === stack.outputs.viewsBucketName)!;
    expect(forBucket("aws:s3/bucketPolicy:BucketPolicy", views)).to.be.empty;
  });

  it("serves the site bucket only to its own CloudFront distribution (origin access control)", () => {
    const site = buckets().find((b) => b.state.bucket === stack.outputs.siteBucketName)!;
    const distribution = ofType(stack, "aws:cloudfront/distribution:Distribution")[0]!;
    const [policy] = forBucket("aws:s3/bucketPolicy:BucketPolicy", site);
    const doc = JSON.parse(policy!.inputs.policy) as PolicyDocument;
    expect(doc.Statement).to.deep.equal([
      {
        Sid: "ReadByOwnDistribution",
        Effect: "Allow",
        Principal: { Service: "cloudfront.amazonaws.com" },
        Action: "s3:GetObject",
        Resource: `${site.state.arn}/*`,
        Condition: { StringEquals: { "AWS:SourceArn": distribution.state.arn } },
      },
    ]);
    const oac = ofType(stack, "aws:cloudfront/originAccessControl:OriginAccessControl")[0]!;
    expect(oac.inputs).to.deep.include({ originAccessControlOriginType: "s3", signingBehavior: "always", signingProtocol: "sigv4" });
    expect(distribution.inputs.origins).to.deep.equal([{ originId: "site-bucket", domainName: site.state.bucketRegionalDomainName, originAccessControlId: oac.id }]);
  });

  it("names every action in every policy: no wildcard in any action", () => {
    const docs = policyDocuments(stack);
    expect(docs.length).to.be.greaterThan(10);
    for (const { where, doc } of docs) {
      for (const statement of doc.Statement) for (const action of list(statement.Action)) expect(action, where).to.not.include("*");
    }
  });

  it('allows Resource "*" only for actions AWS grants on nothing narrower', () => {
    for (const { where, doc } of policyDocuments(stack)) {
      for (const statement of doc.Statement) {
        if (!list(statement.Resource).includes("*")) continue;
        for (const action of list(statement.Action)) expect(actionsRequiringStar, `${where}: ${action} on *`).to.include(action);
      }
    }
  });

  it("attaches no managed policy to any role: every permission is an inline statement the tests read", () => {
    expect(ofType(stack, "aws:iam/rolePolicyAttachment:RolePolicyAttachment")).to.be.empty;
    for (const role of ofType(stack, "aws:iam/role:Role")) expect(list(role.inputs.managedPolicyArns), role.name).to.be.empty;
  });
});
