/**
 * Usernames that match whatever their case, as in a Cognito pool with
 * `UsernameConfiguration.CaseSensitive = false` (the stack's pool, infra/aws/auth.ts, and
 * the sandbox's, cognitoPool.ts). cognito-local 5.3 compares usernames, and the email a
 * pool signs in with, exactly: `Alice@Example.com` and `alice@example.com` became two
 * accounts, and `ALICE@example.com` could not sign in. Every call that names a user
 * (SignUp's "exists" check, InitiateAuth, ConfirmSignUp, ResendConfirmationCode,
 * ForgotPassword, Admin*) looks it up through the pool's `getUserByUsername`, so that is
 * where case stops mattering: an exact match first, then one ignoring case. A pool created
 * with `CaseSensitive: true` keeps exact matching; one created without the setting (AWS's
 * API would make it case-sensitive) is taken as the stack's pool is, since every pool the
 * sandbox ever made stands for that one.
 */
import type { User, UserPool, UserPoolService, UserPoolServiceFactory } from "cognito-local/lib/services/userPoolService";

export function caseInsensitiveUsernames(factory: UserPoolServiceFactory): UserPoolServiceFactory {
  return {
    async create(ctx, clientsDataStore, defaultOptions) {
      const pool: UserPoolService = await factory.create(ctx, clientsDataStore, defaultOptions);
      const exactly = pool.getUserByUsername.bind(pool);
      pool.getUserByUsername = async (context, username) => {
        const found = await exactly(context, username);
        if (found || pool.options.UsernameConfiguration?.CaseSensitive === true) return found;
        return (await pool.listUsers(context)).find((user) => namedBy(user, username, pool.options)) ?? null;
      };
      return pool;
    },
  };
}

/** Whether `username` names this user, ignoring case: its username, its sub, or the alias the pool signs in with. */
function namedBy(user: User, username: string, options: UserPool): boolean {
  const wanted = username.toLowerCase();
  const attribute = (name: string) => user.Attributes?.find((a) => a.Name === name)?.Value?.toLowerCase();
  const aliases = (options.UsernameAttributes ?? []).map(attribute);
  return [user.Username.toLowerCase(), attribute("sub"), ...aliases].includes(wanted);
}
