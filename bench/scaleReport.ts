/** The report's targets and "Scale on AWS" section: the key kinds that bound the design, and the default quotas apart. */
import type { Target } from "./report";
import { type AwsScale, scaleTargets } from "./scale";

const n = (v: number | null) => (v === null ? "–" : v.toLocaleString("en-US", { maximumFractionDigits: 4 }));

export function scaleTargetsOf(aws: AwsScale): Target[] {
  const quota = aws.limitingQuota ? `; apart, the default quotas allow ${n(aws.quotaMessagesPerSecond ?? 0)}/s (${aws.limitingQuota})` : "";
  return [
    {
      target: `keys shared across channels allow at least ${n(scaleTargets.systemMessagesPerSecond)} messages/s system-wide on AWS (per-key limits, traffic spread over channels)`,
      ours: aws.systemMessagesPerSecond ?? "no shared key",
      met: aws.systemMessagesPerSecond === null || aws.systemMessagesPerSecond >= scaleTargets.systemMessagesPerSecond,
      note: `${aws.limitingKey ? `limited by \`${aws.limitingKey}\`` : "no key is written by more than one channel"}${quota}`,
    },
    {
      target: `one channel's keys allow at least ${n(scaleTargets.channelMessagesPerSecond)} messages/s on AWS`,
      ours: aws.channelMessagesPerSecond ?? "no key written",
      met: (aws.channelMessagesPerSecond ?? 0) >= scaleTargets.channelMessagesPerSecond,
      note: `${aws.channelLimitingKey ? `limited by \`${aws.channelLimitingKey}\`` : ""}; ${n(aws.channelMessagesPerSecondWithoutRefusals)}/s if no conditional write were refused (they race far longer here than on AWS)`,
    },
  ];
}

export function scaleSection(aws: AwsScale): string[] {
  const lines: string[] = [];
  lines.push("## Scale on AWS");
  lines.push("");
  lines.push(
    `From the writes per key counted at the edge and AWS's per-key limits, which no request raises: the whole system, traffic spread over channels, **${aws.systemMessagesPerSecond === null ? "unbounded by any key" : `${n(aws.systemMessagesPerSecond)} messages/s`}**${aws.limitingKey ? ` (limited by \`${aws.limitingKey}\`)` : " (no key is shared across channels)"}; one channel **${n(aws.channelMessagesPerSecond)} messages/s**${aws.channelLimitingKey ? ` (limited by \`${aws.channelLimitingKey}\`)` : ""}, ${n(aws.channelMessagesPerSecondWithoutRefusals)} if no conditional write were refused. Apart, the default quotas, which can be raised, allow **${n(aws.quotaMessagesPerSecond)} messages/s**${aws.limitingQuota ? ` (limited by ${aws.limitingQuota})` : ""}.`,
  );
  lines.push("");
  lines.push("| key kind | store | limit per key /s | shared across channels | writes per message, one key: hot channel (took effect) | … throughput | channel msgs/s (without refusals) | system msgs/s |");
  lines.push("|---|---|---:|:---:|---:|---:|---:|---:|");
  for (const k of aws.keys) {
    const shared = k.shared ? (k.shards ? `yes, ${k.shards} shards` : "yes") : "no";
    lines.push(`| \`${k.key}\` | ${k.store} | ${n(k.limitPerSecond)} ${k.unit} | ${shared} | ${n(k.writesPerMessage.hotChannel)} (${n(k.writesPerMessageTookEffect.hotChannel)}) | ${n(k.writesPerMessage.throughput)} | ${n(k.channelMessagesPerSecond)} (${n(k.channelMessagesPerSecondWithoutRefusals)}) | ${n(k.systemMessagesPerSecond)} |`);
  }
  lines.push("");
  lines.push(`| default quota | default | per message | messages/s it allows | needed for ${n(scaleTargets.systemMessagesPerSecond)} messages/s |`);
  lines.push("|---|---:|---:|---:|---:|");
  for (const q of aws.quotas) lines.push(`| ${q.quota} | ${n(q.default)} ${q.unit} | ${n(q.perMessage)} | ${n(q.messagesPerSecond)} | ${n(q.neededForTarget)} |`);
  lines.push("");
  for (const note of aws.notes) lines.push(`- ${note}`);
  lines.push("");
  return lines;
}
