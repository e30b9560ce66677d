/** On a schedule: publishes what the store holds but the bus never confirmed. */
import { awsAdapters } from "../adapters/wiring";
import { logger } from "../http/logger";
import { republish, type Sweep } from "../usecases/republish";

export async function handler(): Promise<Sweep> {
  const sweep = await republish(awsAdapters());
  // One line per sweep: the re-publisher backlog alarm reads `backlog` from it.
  logger.info("republish sweep", { ...sweep });
  return sweep;
}
