/**
 * Fault injection: the failures AWS really produces, each injected where it happens on AWS
 * so that the system's own recovery paths (client retries with an Idempotency-Key, SDK
 * retries, FailedEntryCount, the re-publisher, EventBridge/Lambda retries and dead
 * letters, catch-up projections) are what gets exercised, never a shortcut.
 *
 * | fault          | where                     | what happens                                                        |
 * |----------------|---------------------------|---------------------------------------------------------------------|
 * | `api`          | httpApi.ts                | the front door answers 503 JSON; the handler never runs             |
 * | `append-crash` | dynamodbFaults.ts + lambdaRuntime.ts | an event's conditional PutItem lands, then the store invocation dies before answering (502) |
 * | `publish`      | eventbridge.ts            | PutEvents fails whole (500) or for some entries (FailedEntryCount)  |
 * | `s3-put`       | s3.ts                     | PutObject answers 503 SlowDown                                      |
 * | `projection`   | eventbridge.ts            | a projection invocation throws (before or after its handler ran)    |
 * | `duplicate`    | eventBus.ts               | the bus delivers an event to a target twice                         |
 * | `delay`        | eventBus.ts               | a delivery waits up to `maxDelayMs` first, so deliveries reorder    |
 *
 * Each rate is the probability (0–1) that one opportunity (a request, a PutItem of an
 * event, a delivery) is faulted. Draws come from a seeded generator, so a run's choices can
 * be repeated with its seed (the interleaving of concurrent requests still varies).
 */

export const faultNames = ["api", "append-crash", "publish", "s3-put", "projection", "duplicate", "delay"] as const;
export type FaultName = (typeof faultNames)[number];
export type FaultRates = Partial<Record<FaultName, number>>;

export interface FaultOptions {
  /** Rates per fault, or a spec as `npm start -- --faults` takes it: `"api=0.1,delay=0.3"`. */
  rates?: FaultRates | string;
  /** The longest a `delay` fault holds a delivery back; default 3000 ms. */
  maxDelayMs?: number;
  /** Seed of the generator behind every draw; default a random one (see `seed`). */
  seed?: number;
}

export class FaultSpecError extends Error {
  override name = "FaultSpecError";
}

/** A thrown fault (`projection`): the error the bus sees, saying it was injected. */
export class InjectedFault extends Error {
  override name = "InjectedFault";
  constructor(
    readonly fault: FaultName,
    detail: string,
  ) {
    super(`injected ${fault} fault: ${detail}`);
  }
}

const ratePattern = /^(?:0(?:\.\d{1,6})?|1(?:\.0{1,6})?|\.\d{1,6})$/;

/**
 * Parses `name=rate,name=rate`: every name a known fault, named once; every rate a plain
 * decimal from 0 to 1. Anything else is refused with a message saying what is wrong.
 */
export function parseFaults(spec: string): FaultRates {
  const text = spec.trim();
  if (text === "") throw new FaultSpecError(`no faults given; expected name=rate,… with names from: ${faultNames.join(", ")}`);
  const rates: FaultRates = {};
  for (const rawItem of text.split(",")) {
    const item = rawItem.trim();
    if (item === "") throw new FaultSpecError(`an empty item in "${spec}"; separate name=rate pairs by single commas`);
    const eq = item.indexOf("=");
    if (eq < 0) throw new FaultSpecError(`"${item}" is not name=rate (e.g. api=0.1)`);
    const name = item.slice(0, eq).trim();
    const rate = item.slice(eq + 1).trim();
    if (!isFaultName(name)) throw new FaultSpecError(`"${name}" is not a fault; known faults: ${faultNames.join(", ")}`);
    if (name in rates) throw new FaultSpecError(`"${name}" is given twice`);
    if (!ratePattern.test(rate)) throw new FaultSpecError(`the rate of ${name} must be a number from 0 to 1 (e.g. 0.1), not "${rate}"`);
    rates[name] = Number(rate);
  }
  return rates;
}

export const isFaultName = (name: string): name is FaultName => (faultNames as readonly string[]).includes(name);

function checkedRates(rates: FaultRates): FaultRates {
  const checked: FaultRates = {};
  for (const [name, rate] of Object.entries(rates)) {
    if (!isFaultName(name)) throw new FaultSpecError(`"${name}" is not a fault; known faults: ${faultNames.join(", ")}`);
    if (rate === undefined) continue;
    if (typeof rate !== "number" || !(rate >= 0 && rate <= 1)) throw new FaultSpecError(`the rate of ${name} must be a number from 0 to 1, not ${String(rate)}`);
    checked[name] = rate;
  }
  return checked;
}

/** The faults of one sandbox: their rates, the draws, and how many of each were injected. */
export class FaultInjector {
  readonly seed: number;
  readonly maxDelayMs: number;
  private rates: FaultRates;
  private readonly next: () => number;
  private readonly counts = Object.fromEntries(faultNames.map((name) => [name, 0])) as Record<FaultName, number>;

  constructor(options: FaultOptions = {}) {
    this.rates = checkedRates(typeof options.rates === "string" ? parseFaults(options.rates) : (options.rates ?? {}));
    this.maxDelayMs = options.maxDelayMs ?? 3000;
    if (!(Number.isFinite(this.maxDelayMs) && this.maxDelayMs >= 0)) throw new FaultSpecError("maxDelayMs must be a number of milliseconds ≥ 0");
    this.seed = options.seed ?? Math.floor(Math.random() * 2 ** 32);
    this.next = mulberry32(this.seed);
  }

  /** True when at least one fault has a rate above 0. */
  get active(): boolean {
    return Object.values(this.rates).some((rate) => rate > 0);
  }

  rate(name: FaultName): number {
    return this.rates[name] ?? 0;
  }

  /** The current rates (those above 0). */
  currentRates(): FaultRates {
    return Object.fromEntries(Object.entries(this.rates).filter(([, rate]) => rate > 0));
  }

  /** Changes some rates while running (tests switch a fault on and off). */
  set(rates: FaultRates): void {
    this.rates = { ...this.rates, ...checkedRates(rates) };
  }

  /** Draws whether this opportunity is faulted; counts it if so. */
  roll(name: FaultName): boolean {
    const rate = this.rate(name);
    if (rate <= 0 || this.next() >= rate) return false;
    this.counts[name]++;
    return true;
  }

  /** Like `roll`, but counts only once `record` is called (for faults that may not come about). */
  draw(name: FaultName): boolean {
    const rate = this.rate(name);
    return rate > 0 && this.next() < rate;
  }

  record(name: FaultName): void {
    this.counts[name]++;
  }

  /** A uniform number in [0, 1) from the same generator. */
  random(): number {
    return this.next();
  }

  /** Requests that crashed invocations still sent (should be none; see invocations.ts). */
  readonly lateRequests: string[] = [];

  recordLateRequest(description: string): void {
    this.lateRequests.push(description);
  }

  /** Faults injected so far, per kind. */
  injected(): Record<FaultName, number> {
    return { ...this.counts };
  }
}

/** No faults: what a sandbox gets unless asked for some. */
export const noFaults = (): FaultInjector => new FaultInjector();

/** A small, fast, seedable generator (Tommy Ettinger's mulberry32); not for cryptography. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `api=0.1, delay=0.3` as `npm start` prints it. */
export function describeRates(rates: FaultRates): string {
  const entries = Object.entries(rates);
  return entries.length === 0 ? "none" : entries.map(([name, rate]) => `${name}=${rate}`).join(", ");
}
