/**
 * DynamoDB: dynalite keeping its LevelDB under <dataDir>/dynamodb, with the event table and
 * its stream (tableStream.ts, which feeds the publisher once the sandbox is up). With faults, the endpoint is a proxy in front of it that injects `append-crash`
 * (dynamodbFaults.ts); dynalite then listens on a port of its own.
 */
import { mkdir } from "node:fs/promises";
import type { Server } from "node:http";
import path from "node:path";
import {
  CreateTableCommand,
  DynamoDBClient,
  ResourceInUseException,
  type CreateTableCommandInput,
} from "@aws-sdk/client-dynamodb";
import dynalite from "dynalite";
import { eventTable } from "../../functions/adapters/eventTable";
import { resources, type SandboxContext } from "./context";
import { instances, type Running } from "./service";
import { closeGraceMs, closeWithin, listen, urlOf } from "./listen";
import { sandboxCredentials } from "./env";
import { startFaultProxy } from "./dynamodbFaults";
import { allowCrashes } from "./invocations";
import { startTableStream, type TableStream } from "./tableStream";

export interface DynamoDbService extends Running {
  url: string;
  stream: TableStream;
}

const running = instances<DynamoDbService>();

export async function start(ctx: SandboxContext, port = 0): Promise<DynamoDbService> {
  const dir = path.join(ctx.dataDir, "dynamodb");
  await mkdir(dir, { recursive: true });
  // Tables are ACTIVE at once: there is nothing to wait for on a laptop.
  const server: Server = dynalite({ path: dir, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  const stream = startTableStream(ctx, server);
  const faults = ctx.faults;
  const dynaliteUrl = urlOf(await listen(server, faults ? 0 : port));
  let url = dynaliteUrl;
  let stopProxy = async () => {};
  if (faults) {
    const proxy = await startFaultProxy(ctx, dynaliteUrl, faults, port).catch(async (error: unknown) => {
      await closeDynalite(server);
      throw error;
    });
    const disallow = allowCrashes("store", {
      onCrash: () => faults.record("append-crash"),
      onLateRequest: (description) => {
        faults.recordLateRequest(description);
        ctx.log("error", `append-crash: ${description}`);
      },
    });
    url = proxy.url;
    stopProxy = async () => {
      disallow();
      await proxy.stop();
    };
  }
  const service = running.track({
    url,
    stream,
    stop: async () => {
      await stream.stop();
      await stopProxy();
      await closeDynalite(server);
    },
  });
  try {
    if (await createTableIfAbsent(url, eventTableInput())) ctx.log("info", `created table ${resources.eventsTable}`);
    if (await createTableIfAbsent(url, connectionsTableInput())) ctx.log("info", `created table ${resources.connectionsTable}`);
  } catch (error) {
    await service.stop();
    throw error;
  }
  return service;
}

export const stop = () => running.stopAll();

/** The event table as functions/adapters/eventTable.ts declares it. TTL is not emulated: dynalite has none. */
export function eventTableInput(): CreateTableCommandInput {
  const { partitionKey, sortKey } = eventTable;
  return {
    TableName: resources.eventsTable,
    BillingMode: "PAY_PER_REQUEST",
    AttributeDefinitions: [
      { AttributeName: partitionKey, AttributeType: "S" },
      { AttributeName: sortKey, AttributeType: "N" },
    ],
    KeySchema: [
      { AttributeName: partitionKey, KeyType: "HASH" },
      { AttributeName: sortKey, KeyType: "RANGE" },
    ],
    // The stream is the sandbox's own (tableStream.ts): dynalite ignores StreamSpecification.
    StreamSpecification: { StreamEnabled: true, StreamViewType: "NEW_IMAGE" },
  };
}

/** The realtime connections (functions/adapters/dynamoConnectionStore.ts), as infra/aws/realtime.ts declares it. */
export function connectionsTableInput(): CreateTableCommandInput {
  return {
    TableName: resources.connectionsTable,
    BillingMode: "PAY_PER_REQUEST",
    AttributeDefinitions: [
      { AttributeName: "pk", AttributeType: "S" },
      { AttributeName: "sk", AttributeType: "S" },
    ],
    KeySchema: [
      { AttributeName: "pk", KeyType: "HASH" },
      { AttributeName: "sk", KeyType: "RANGE" },
    ],
  };
}

async function createTableIfAbsent(endpoint: string, input: CreateTableCommandInput): Promise<boolean> {
  const client = new DynamoDBClient({ endpoint, region: resources.region, credentials: sandboxCredentials });
  try {
    await client.send(new CreateTableCommand(input));
    return true;
  } catch (error) {
    if (error instanceof ResourceInUseException) return false;
    throw error;
  } finally {
    client.destroy();
  }
}

/**
 * dynalite's close also closes its LevelDB, which must happen before the next start opens it;
 * it runs once the HTTP server has closed, so connections still open are cut after a grace.
 */
function closeDynalite(server: Server): Promise<void> {
  return new Promise((resolve, reject) => closeWithin(server, closeGraceMs, (error) => (error ? reject(error) : resolve())));
}
