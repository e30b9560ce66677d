/**
 * The search scenario's texts: chat-like sentences drawn from a vocabulary with accented
 * words, some links, some Chinese and Japanese sentences, the same for the same seed (so
 * runs index the same corpus). Common words come up more often than rare ones, as in
 * chat. The queries (searchQueries.ts) look for words planted here: keep them in step.
 */

/** The words queries look for; each is in `vocabulary` or planted below. */
export const planted = {
  word: "deploy",
  /** Written "café" in the texts: found by the query "cafe". */
  accented: "café",
  /** Every "deploy…" form, for the prefix query `depl`. */
  prefixForms: ["deploy", "deployed", "deployment", "deploying"],
  phrase: "release candidate",
  excluded: "friday",
  chinese: "发布",
  japanese: "会議",
  /** In every message of the live phase, and nowhere else: finds them all. */
  live: "livewire",
};

const vocabulary = (
  "the a to and we it is for on this that in with can of you be i will just now so if " +
  "deploy deployed deployment deploying review merge fix bug test tests build release branch " +
  "team chat channel message lunch coffee café meeting sprint demo idea question answer thanks " +
  "please today tomorrow yesterday monday friday morning afternoon later soon done ready blocked " +
  "customer server database cache latency error logs alert metrics dashboard incident rollback " +
  "staging production config migration schema index query search frontend backend api client " +
  "design doc draft spec plan roadmap estimate deadline priority ticket issue feature flag " +
  "résumé naïve déjà façade jalapeño über crème brûlée piñata Zürich São Paulo Málaga Kraków " +
  "Ødegaard Ångström coöperate rôle protégé señor fiancée entrée soirée touché " +
  "lgtm ship it nice great awesome agreed sure thoughts anyone help pairing onboarding " +
  "budget invoice contract legal hiring interview offsite travel holiday weekend birthday cake"
).split(" ");

const chinese = ["我们明天发布新版本。", "数据库迁移已经完成了。", "请检查一下这个错误。", "会议改到下午三点。", "新功能下周发布。", "这个问题已经修复了。", "谢谢大家的帮助！", "服务器今天晚上重启。"];
const japanese = ["会議は明日の午後です。", "東京でデプロイしました。", "新しいバージョンをリリースします。", "この不具合を確認してください。", "来週の会議に参加します。", "ありがとうございます！", "サーバーを再起動しました。", "資料を共有しました。"];

/** mulberry32: a small deterministic generator, so a run's corpus is the same every time. */
export function randomFrom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(items: readonly T[], random: () => number): T => items[Math.floor(random() * items.length)] as T;
/** Skewed to the front of the list: common words first. */
const zipfish = <T>(items: readonly T[], random: () => number): T => items[Math.floor(random() ** 2 * items.length)] as T;

/**
 * One message's text: mostly an English sentence of 4 to 18 words; one in 10 with a link,
 * one in 50 with the planted phrase; one in 20 Chinese, one in 20 Japanese.
 */
export function corpusText(random: () => number): string {
  const r = random();
  if (r < 0.05) return pick(chinese, random);
  if (r < 0.1) return pick(japanese, random);
  const count = 4 + Math.floor(random() * 15);
  const sentence: string[] = [];
  for (let i = 0; i < count; i++) sentence.push(zipfish(vocabulary, random));
  if (random() < 0.02) sentence.splice(Math.floor(random() * sentence.length), 0, ...planted.phrase.split(" "));
  if (random() < 0.05) sentence.push(`#${Math.floor(random() * 10_000)}`);
  let text = sentence.join(" ");
  text = text.charAt(0).toUpperCase() + text.slice(1);
  if (random() < 0.1) text += ` https://docs.example.com/${pick(vocabulary, random).toLowerCase()}/${Math.floor(random() * 1000)}`;
  return text;
}
