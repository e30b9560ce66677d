/** Structured JSON logs (Powertools; level from POWERTOOLS_LOG_LEVEL). Never log request headers: they carry the token. */
import { Logger } from "@aws-lambda-powertools/logger";

export const logger = new Logger({ serviceName: "chat" });
