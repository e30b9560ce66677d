import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface EventBusArgs {
  /** The `source` of every event the store publishes; the archive keeps exactly those. */
  eventSource: string;
  /** Days the archive keeps events for replay; 0 keeps them forever. Default 30. */
  archiveRetentionDays?: number;
}

/**
 * The custom EventBridge bus every stored event is published to, and its archive.
 *
 * Replay (`npm run replay -- --stack <name>`) calls StartReplay with this archive as the
 * source, this bus as the destination, and `FilterArns` naming the replay rules of the
 * projections to rebuild (each Projection exports its replay rule's ARN). Replayed events
 * carry `replay-name`, which is how live rules and replay rules tell them apart.
 */
export class EventBus extends pulumi.ComponentResource {
  public readonly bus: aws.cloudwatch.EventBus;
  public readonly archive: aws.cloudwatch.EventArchive;
  public readonly busName: pulumi.Output<string>;
  public readonly busArn: pulumi.Output<string>;
  public readonly archiveName: pulumi.Output<string>;
  public readonly archiveArn: pulumi.Output<string>;

  constructor(name: string, args: EventBusArgs, opts?: pulumi.ComponentResourceOptions) {
    super("chat:events:EventBus", name, {}, opts);

    this.bus = new aws.cloudwatch.EventBus(`${name}-bus`, {}, { parent: this });
    this.archive = new aws.cloudwatch.EventArchive(
      `${name}-archive`,
      {
        description: `Every ${args.eventSource} event, for replays into the projections.`,
        eventSourceArn: this.bus.arn,
        eventPattern: JSON.stringify({ source: [args.eventSource] }),
        retentionDays: args.archiveRetentionDays ?? 30,
      },
      { parent: this },
    );

    this.busName = this.bus.name;
    this.busArn = this.bus.arn;
    this.archiveName = this.archive.name;
    this.archiveArn = this.archive.arn;
    this.registerOutputs({ busName: this.busName, busArn: this.busArn, archiveName: this.archiveName });
  }
}
