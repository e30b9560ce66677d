/** An error the stand-ins answer as AWS does: HTTP 400 with `{"__type": name, "message"}`. */
export class AwsError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

export const validationError = (message: string) => new AwsError("ValidationException", message);
