/** The Slack Web API methods served at `{apiUrl}/slack/<method>` (CONTRACT §13); any other is `unknown_method`. */
import type { SlackAnswer, SlackCall } from "./answer";
import { postMessage, remove, update } from "./chat";
import { info, join, list } from "./conversations";
import { history, replies } from "./history";
import { reactionsAdd, reactionsRemove } from "./reactions";
import { authTest, usersInfo, usersList } from "./users";

export type Method = (call: SlackCall) => Promise<SlackAnswer>;

export const methods: Readonly<Record<string, Method>> = {
  "auth.test": authTest,
  "chat.postMessage": postMessage,
  "chat.update": update,
  "chat.delete": remove,
  "conversations.list": list,
  "conversations.info": info,
  "conversations.history": history,
  "conversations.replies": replies,
  "conversations.join": join,
  "reactions.add": reactionsAdd,
  "reactions.remove": reactionsRemove,
  "users.list": usersList,
  "users.info": usersInfo,
};

export const methodNamed = (name: string): Method | undefined => (Object.hasOwn(methods, name) ? methods[name] : undefined);
