/**
 * Credentials of the local stack. Taken from the environment when set, otherwise generated once and kept in
 * .stack/credentials.json (mode 0600), so the repository holds no secret. PostgreSQL bakes its password into
 * the data directory at creation, so once stored the credentials are fixed: an environment value that
 * differs is an error rather than a silent mismatch.
 *
 * @module
 */

/** Credentials of the services that have any (Kafka and Connect listen on loopback without auth). */
export interface Credentials {
  postgres: { user: string; password: string };
  minio: { accessKeyId: string; secretAccessKey: string };
}

/** Environment variables that override generated credentials. */
export const CREDENTIAL_VARIABLES = {
  "postgres.user": "LAKESTREAM_PG_USER",
  "postgres.password": "LAKESTREAM_PG_PASSWORD",
  "minio.accessKeyId": "LAKESTREAM_MINIO_ACCESS_KEY",
  "minio.secretAccessKey": "LAKESTREAM_MINIO_SECRET_KEY",
} as const;

type CredentialKey = keyof typeof CREDENTIAL_VARIABLES;

/** A random token of `bytes` random bytes in URL-safe base64 without padding (nothing anywhere needs to quote it). */
export function randomToken(
  bytes: number,
  random: (n: number) => Uint8Array = (n) => crypto.getRandomValues(new Uint8Array(n)),
): string {
  return btoa(String.fromCharCode(...random(bytes))).replaceAll("+", "-").replaceAll("/", "_").replaceAll(
    "=",
    "",
  );
}

/**
 * Resolves the credentials from what is stored (null on first run), the environment and a token generator.
 *
 * @throws {Error} when an environment variable contradicts a stored credential.
 */
export function resolveCredentials(
  stored: Credentials | null,
  env: (name: string) => string | undefined,
  token: (bytes: number) => string = randomToken,
  storedPath = "credentials.json",
): Credentials {
  const generated: Credentials = {
    postgres: { user: "postgres", password: token(18) },
    minio: { accessKeyId: `lakestream-${token(6)}`, secretAccessKey: token(24) },
  };
  const base = stored ?? generated;
  const pick = (key: CredentialKey): string => {
    const [group, field] = key.split(".") as [keyof Credentials, string];
    const current = (base[group] as Record<string, string>)[field];
    const fromEnv = env(CREDENTIAL_VARIABLES[key]);
    if (!fromEnv) return current;
    if (stored && fromEnv !== current) {
      throw new Error(
        `Cannot use ${
          CREDENTIAL_VARIABLES[key]
        }: the local stack was created with a different value (in "${storedPath}"); ` +
          "unset it, or run `deno task stack down` and remove the stack directory to start afresh",
      );
    }
    return fromEnv;
  };
  const credentials: Credentials = {
    postgres: { user: pick("postgres.user"), password: pick("postgres.password") },
    minio: { accessKeyId: pick("minio.accessKeyId"), secretAccessKey: pick("minio.secretAccessKey") },
  };
  if (credentials.minio.accessKeyId.length < 3 || credentials.minio.secretAccessKey.length < 8) {
    throw new RangeError(
      "Invalid MinIO credentials: the access key needs at least 3 characters and the secret key at least 8",
    );
  }
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(credentials.postgres.user)) {
    throw new RangeError(
      `Invalid LAKESTREAM_PG_USER "${credentials.postgres.user}": expected letters, digits and underscores`,
    );
  }
  return credentials;
}

/** Parses credentials.json; throws SyntaxError naming the file when it is malformed. */
export function parseCredentials(text: string, path: string): Credentials {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new SyntaxError(`Cannot read "${path}": not JSON`, { cause: e });
  }
  const c = v as Credentials;
  const ok = (x: unknown) => typeof x === "string" && x !== "";
  if (
    !ok(c?.postgres?.user) || !ok(c?.postgres?.password) || !ok(c?.minio?.accessKeyId) ||
    !ok(c?.minio?.secretAccessKey)
  ) {
    throw new SyntaxError(
      `Cannot read "${path}": expected postgres.{user,password} and minio.{accessKeyId,secretAccessKey}`,
    );
  }
  return {
    postgres: { user: c.postgres.user, password: c.postgres.password },
    minio: { accessKeyId: c.minio.accessKeyId, secretAccessKey: c.minio.secretAccessKey },
  };
}

/** Loads the stored credentials (or creates and stores them) at `path`, applying the environment. */
export async function loadCredentials(
  path: string,
  env: (name: string) => string | undefined = Deno.env.get,
): Promise<Credentials> {
  let stored: Credentials | null = null;
  try {
    stored = parseCredentials(await Deno.readTextFile(path), path);
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  const credentials = resolveCredentials(stored, env, randomToken, path);
  if (!stored) {
    await Deno.writeTextFile(path, `${JSON.stringify(credentials, null, 2)}\n`, {
      mode: 0o600,
      createNew: true,
    });
  }
  return credentials;
}
