/**
 * Every Lambda function of the system: its entry, its sizing, and the AWS services it
 * reaches. The build bundles one folder per entry; the Pulumi program and the sandbox
 * read the same list.
 */
export interface FunctionSpec {
  /** Entry file, relative to the repository root; it exports `handler`. */
  entry: string;
  memoryMb: number;
  timeoutSeconds: number;
}

export const functions = {
  store: { entry: "functions/store/handler.ts", memoryMb: 512, timeoutSeconds: 10 },
  views: { entry: "functions/views/handler.ts", memoryMb: 256, timeoutSeconds: 10 },
  /** More memory than the views: a warm container keeps the search index segments it read (usecases/search.ts). Not `search`: that is the projection's name. */
  query: { entry: "functions/query/handler.ts", memoryMb: 1024, timeoutSeconds: 10 },
  projection: { entry: "functions/projection/handler.ts", memoryMb: 512, timeoutSeconds: 60 },
  publish: { entry: "functions/publish/handler.ts", memoryMb: 256, timeoutSeconds: 60 },
  registration: { entry: "functions/registration/handler.ts", memoryMb: 256, timeoutSeconds: 10 },
  autoconfirm: { entry: "functions/autoconfirm/handler.ts", memoryMb: 128, timeoutSeconds: 5 },
  notify: { entry: "functions/notify/handler.ts", memoryMb: 256, timeoutSeconds: 30 },
  connect: { entry: "functions/connect/handler.ts", memoryMb: 128, timeoutSeconds: 5 },
  disconnect: { entry: "functions/disconnect/handler.ts", memoryMb: 128, timeoutSeconds: 5 },
  wsAuthorizer: { entry: "functions/wsAuthorizer/handler.ts", memoryMb: 128, timeoutSeconds: 5 },
  slack: { entry: "functions/slack/handler.ts", memoryMb: 256, timeoutSeconds: 10 },
  apps: { entry: "functions/apps/handler.ts", memoryMb: 256, timeoutSeconds: 10 },
  webhook: { entry: "functions/webhook/handler.ts", memoryMb: 256, timeoutSeconds: 10 },
  slackAuthorizer: { entry: "functions/slackAuthorizer/handler.ts", memoryMb: 128, timeoutSeconds: 5 },
} as const satisfies Record<string, FunctionSpec>;

export type FunctionName = keyof typeof functions;
