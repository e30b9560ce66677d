/** What the web makes of a failed API call: sent again by itself, or refused (and said plainly). */
import { expect } from "chai";
import { ApiError, describeWriteError, failureKind } from "../../web/src/api/apiError";
import { asSentence } from "../../web/src/sentence";

const refusal = (status: number, code: string, message = "Refused.", details?: unknown) => new ApiError(status, code, message, undefined, details);

describe("web API errors", () => {
  it("sends again what got no answer, a 408, a 429, a 5xx or a request still in progress; only other 4xx are refused", () => {
    expect(failureKind(refusal(0, "network"))).to.equal("offline");
    for (const status of [408, 429, 500, 502, 503, 504]) expect(failureKind(refusal(status, `http_${status}`)), String(status)).to.equal("busy");
    expect(failureKind(refusal(409, "request_in_progress"))).to.equal("busy");
    for (const [status, code] of [
      [400, "invalid_field"],
      [401, "unauthorized"],
      [403, "not_member"],
      [404, "message_not_found"],
      [409, "idempotency_key_reused"],
      [413, "payload_too_large"],
    ] as const) {
      expect(failureKind(refusal(status, code)), `${status} ${code}`).to.equal("refused");
    }
    expect(failureKind(new TypeError("bug"))).to.equal("refused");
  });

  it("says a message is too long in plain words, never with the event's name", () => {
    const server = refusal(400, "invalid_field", "Invalid message_sent: text must be at most 40000 characters.", [{ field: "text", message: "must be at most 40000 characters" }]);
    expect(describeWriteError(server)).to.equal("Message is too long: at most 40,000 characters.");
  });

  it("ends a refusal in exactly one full stop", () => {
    expect(describeWriteError(refusal(403, "not_member", "Only members can post in this channel."))).to.equal("Only members can post in this channel.");
    expect(describeWriteError(refusal(403, "not_member", "Only members can post in this channel"))).to.equal("Only members can post in this channel.");
    expect(describeWriteError(refusal(0, "network", "Could not reach the server. Check your connection.."))).to.equal("Could not reach the server. Check your connection.");
    expect(asSentence("Done!")).to.equal("Done!");
  });
});
