/** PUT /read-marks/<channelId> with `{"seq"}`: the channel from the path, the seq from a JSON body. */
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { z } from "zod";
import { checkJsonEnvelope, lowerCaseKeys, parseJsonObject } from "./jsonBody";
import type { ApiError } from "./responses";

export type ParsedReadMark = { ok: true; channelId: string; seq: number } | { ok: false; error: ApiError };

const maxBodyBytes = 1024;
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ReadMark = z.strictObject({ seq: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER) });

export function parseReadMarkRequest(event: APIGatewayProxyEventV2): ParsedReadMark {
  const channelId = event.pathParameters?.channelId ?? "";
  if (!uuid.test(channelId)) return { ok: false, error: { status: 404, code: "channel_not_found", message: "No such channel." } };
  const refused = checkJsonEnvelope(event, lowerCaseKeys(event.headers ?? {}), maxBodyBytes, "the read mark");
  if (refused) return { ok: false, error: refused };
  const parsed = parseJsonObject(event, "the read mark", "a read mark is {\"seq\": n}");
  if (!parsed.ok) return parsed;
  const checked = ReadMark.safeParse(parsed.object);
  if (!checked.success) {
    return { ok: false, error: { status: 400, code: "invalid_field", message: 'Send {"seq": n}: the seq (a whole number from 1) of the last event read in the channel.' } };
  }
  return { ok: true, channelId: channelId.toLowerCase(), seq: checked.data.seq };
}
