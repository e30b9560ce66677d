/** A deployed stack's outputs, as `pulumi stack output --json --stack <name>` prints them. */
import { execFile } from "node:child_process";

/** Runs a program and resolves with its stdout. */
export type Exec = (file: string, args: string[]) => Promise<string>;

const execPulumi: Exec = (file, args) =>
  new Promise((resolve, reject) => {
    execFile(file, args, { maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(Object.assign(error, { stderr: String(stderr) }));
      else resolve(String(stdout));
    });
  });

export async function stackOutputs(stack: string, exec: Exec = execPulumi): Promise<Record<string, unknown>> {
  let stdout: string;
  try {
    stdout = await exec("pulumi", ["stack", "output", "--json", "--stack", stack]);
  } catch (error) {
    const { code, stderr, message } = error as NodeJS.ErrnoException & { stderr?: string };
    if (code === "ENOENT") throw new Error("The Pulumi CLI (pulumi) is not on PATH: --stack reads the stack's outputs with it.");
    throw new Error(`pulumi stack output --stack ${stack} failed: ${(stderr || message).trim()}`);
  }
  let outputs: unknown;
  try {
    outputs = JSON.parse(stdout);
  } catch {
    throw new Error(`pulumi stack output --json --stack ${stack} printed something other than JSON.`);
  }
  if (outputs === null || typeof outputs !== "object" || Array.isArray(outputs)) {
    throw new Error(`pulumi stack output --json --stack ${stack} printed no outputs object.`);
  }
  return outputs as Record<string, unknown>;
}
