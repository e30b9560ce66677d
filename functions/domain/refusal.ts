/** A typed "no" from the domain; handlers map `status` to the HTTP answer. */
export interface Refusal {
  status: 400 | 403 | 404 | 409;
  code: string;
  message: string;
}

export const refuse = (status: Refusal["status"], code: string, message: string): Refusal => ({
  status,
  code,
  message,
});

export const isRefusal = (value: unknown): value is Refusal =>
  typeof value === "object" && value !== null && "code" in value && "status" in value && !("events" in value);
