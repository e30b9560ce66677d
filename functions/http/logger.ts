/** Structured JSON logs (Powertools). Never log a request's headers: they carry the token. */
import { Logger } from "@aws-lambda-powertools/logger";

export const logger = new Logger({ serviceName: "chat", logLevel: process.env.LOG_LEVEL ?? "INFO" });
