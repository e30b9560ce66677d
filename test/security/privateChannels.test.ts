/**
 * Private means private, under any delivery order: with every delivery delayed and
 * overtaking others (`--faults delay=1`), a person outside a private channel, polling every
 * view and listening on the socket from the moment it is created, never sees its text,
 * name or id, nor a mention from it, in repeated tries.
 */
import { randomUUID } from "node:crypto";
import { expect } from "chai";
import type { Sandbox } from "../../infra/local";
import { type Person, post, signUp, view } from "../support/chatApi";
import { disposeTestSandbox, startTestSandbox } from "../support/sandboxFixture";
import { listen } from "../support/socket";

const tries = 4;

describe("private channels under late and reordered deliveries", function () {
  this.timeout(180_000);
  let sandbox: Sandbox;
  let alice: Person;
  let bob: Person;
  let carol: Person;

  before(async () => {
    sandbox = await startTestSandbox({ faults: { rates: { delay: 1 }, seed: 11, maxDelayMs: 800 } });
    [alice, bob, carol] = (await Promise.all(["Alice", "Bob", "Carol"].map((n) => signUp(sandbox.urls.cognito, sandbox.clientId, n)))) as [Person, Person, Person];
    await sandbox.bus.idle();
  });
  after(() => disposeTestSandbox(sandbox));

  it("shows a non-member nothing of it through any view or socket, while and after it is created and talked in", async () => {
    const api = sandbox.urls.api;
    const socket = await listen(sandbox, bob.token);
    const seenByBob: string[] = [];
    const secrets: string[] = [];
    for (let attempt = 0; attempt < tries; attempt++) {
      const channelId = randomUUID();
      const name = `secret-${randomUUID().slice(0, 8)}`;
      const word = `hush${randomUUID().slice(0, 8)}`;
      secrets.push(channelId, name, word);
      let polling = true;
      const poll = (async () => {
        while (polling) {
          for (const path of ["channels", "users/me", "users/me/mentions", `channels/${channelId}`, `channels/${channelId}/pages/0`, "users"]) {
            const answer = await view(api, bob.token, path);
            seenByBob.push(JSON.stringify(answer.body ?? ""));
          }
        }
      })();
      expect((await post(api, alice.token, { type: "channel_created", channelId, name, private: true })).status).to.equal(202);
      // Alice names Bob at once, before anything else of the channel is projected.
      await post(api, alice.token, { type: "message_sent", channelId, messageId: randomUUID(), text: `@bob ${word} plans` });
      await post(api, alice.token, { type: "user_joined_channel", channelId, memberId: carol.userId });
      await post(api, alice.token, { type: "message_sent", channelId, messageId: randomUUID(), text: `@carol @bob ${word} again` });
      await post(api, carol.token, { type: "message_sent", channelId, messageId: randomUUID(), text: `@bob ${word} from carol` });
      await sandbox.bus.idle();
      polling = false;
      await poll;
    }
    seenByBob.push(...socket.raw);
    socket.ws.close();
    for (const secret of secrets) expect(seenByBob.filter((body) => body.includes(secret)), secret).to.deep.equal([]);
    // The members did get them: the test would pass vacuously if nothing had been projected.
    const carols = await view(api, carol.token, "users/me/mentions");
    expect(carols.body.mentions.length).to.be.at.least(tries);
    const names = (await view(api, alice.token, "channels")).body.channels.map((c: { name: string }) => c.name);
    expect(names.filter((n: string) => secrets.includes(n))).to.have.length(tries);
  });
});
