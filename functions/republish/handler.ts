/** On a schedule: publishes what the store holds but the bus never confirmed. */
import { awsAdapters } from "../adapters/wiring";
import { republish } from "../usecases/republish";

export async function handler(): Promise<{ republished: number }> {
  return { republished: await republish(awsAdapters()) };
}
