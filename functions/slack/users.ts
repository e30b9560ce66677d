/** users.list, users.info and auth.test, over views/users and views/users/me. */
import { intArg } from "./args";
import { fail, ok, type SlackAnswer, type SlackCall } from "./answer";
import { decodeCursor, encodeCursor } from "./cursor";
import { readAs } from "./reads";

/** The one workspace this chat is, as Slack names a team. */
export const team = { id: "T0CHAT", name: "chat" };

/** An entry of views/users; `bot` marks an app's bot user (CONTRACT §13). */
interface UserEntry {
  userId: string;
  name: string;
  bot?: boolean;
}

function slackUser(user: UserEntry) {
  return {
    id: user.userId,
    team_id: team.id,
    name: user.name,
    real_name: user.name,
    deleted: false,
    is_bot: user.bot === true,
    is_app_user: false,
    profile: { real_name: user.name, display_name: user.name, real_name_normalized: user.name, display_name_normalized: user.name },
  };
}

export async function usersList(call: SlackCall): Promise<SlackAnswer> {
  const limit = intArg(call.args, "limit", { min: 1, max: 1000, fallback: 200 });
  if (typeof limit !== "number") return fail(limit.error);
  const start = call.args.cursor ? decodeCursor(call.args.cursor, ["offset"]) : { offset: 0 };
  if (!start) return fail("invalid_cursor");
  const users = (await readAs<{ users: UserEntry[] }>(call, "users"))?.users ?? [];
  const page = users.slice(start.offset, start.offset + limit);
  const next = start.offset + page.length < users.length ? encodeCursor({ offset: start.offset + page.length }) : "";
  return ok({ members: page.map(slackUser), cache_ts: Math.floor(call.deps.now().getTime() / 1000), response_metadata: { next_cursor: next } });
}

export async function usersInfo(call: SlackCall): Promise<SlackAnswer> {
  const users = (await readAs<{ users: UserEntry[] }>(call, "users"))?.users ?? [];
  const user = users.find((u) => u.userId === call.args.user);
  return user ? ok({ user: slackUser(user) }) : fail("user_not_found");
}

/** Who the token is: the caller's id and name (views/users/me; the id alone until their view is written). */
export async function authTest(call: SlackCall): Promise<SlackAnswer> {
  const me = await readAs<{ name: string }>(call, "users/me");
  return ok({ url: `https://${call.domainName}/`, team: team.name, user: me?.name ?? call.userId, team_id: team.id, user_id: call.userId, is_enterprise_install: false });
}
