import { randomBytes } from 'node:crypto';
import { chmod, mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import * as z from 'zod/mini';
import { ChartkeeperError } from '../../domain/errors.js';
import type { CredentialStore } from '../../domain/ports/credentials.js';
import { LOGIN_COMMAND, type UserLogin } from '../../domain/user-login.js';
import { FileLock } from './file-lock.js';

const FILE_VERSION = 1;

const isoTime = z.string().check(z.refine((value) => !Number.isNaN(Date.parse(value))));

const fileSchema = z.strictObject({
  version: z.literal(FILE_VERSION),
  clientId: z.string().check(z.minLength(1)),
  refreshToken: z.string().check(z.minLength(1)),
  userId: z.string().check(z.minLength(1)),
  displayName: z.nullable(z.string()),
  scopes: z.array(z.string()),
  loggedInAt: isoTime,
  refreshExpiresAt: isoTime,
  ended: z.nullable(z.strictObject({ at: isoTime, reason: z.string() })),
});

/**
 * The user login in a JSON file only its owner may read (0600, in a 0700 folder), replaced
 * atomically (a temporary file renamed over it), shared by the processes of one machine through
 * a lock file beside it. Never inside the chart store, which is backed up, exported and shared.
 */
export class CredentialsFile implements CredentialStore {
  private readonly lock: FileLock;

  constructor(readonly location: string) {
    this.lock = new FileLock(`${location}.lock`);
  }

  async read(): Promise<UserLogin | null> {
    let text: string;
    try {
      text = await readFile(this.location, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw this.unreadable((error as Error).message);
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw this.unreadable('it is not JSON');
    }
    const parsed = fileSchema.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue?.path.length ? ` at "${issue.path.join('.')}"` : '';
      throw this.unreadable(
        `it is not a chartkeeper credentials file (unexpected content${where})`,
      );
    }
    const { version: _version, ...login } = parsed.data;
    return login;
  }

  async write(login: UserLogin): Promise<void> {
    await this.ensureFolder();
    const temporary = `${this.location}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    const text = `${JSON.stringify({ version: FILE_VERSION, ...login }, null, 2)}\n`;
    try {
      // Created 0600 from the start: the secret is never readable by others, not even briefly.
      const handle = await open(temporary, 'wx', 0o600);
      try {
        await handle.writeFile(text);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temporary, this.location);
      // A file the user created by hand may have come with wider rights; rename kept ours.
      await chmod(this.location, 0o600);
    } catch (error) {
      await rm(temporary, { force: true });
      throw new ChartkeeperError(
        'config',
        `cannot write the credentials file ${this.location}: ${(error as Error).message}`,
        {
          hint: 'Check that its folder is writable, or choose another place with auth.file (CHARTKEEPER_AUTH_FILE).',
          permanent: true,
        },
      );
    }
  }

  async remove(): Promise<boolean> {
    try {
      await rm(this.location);
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw error;
    }
  }

  async exclusive<T>(work: () => Promise<T>): Promise<T> {
    // The lock file lives beside the credentials, so their folder must exist first.
    await this.ensureFolder();
    return this.lock.hold(work);
  }

  /**
   * Creates the folder readable by the user only. An existing folder is tightened only when it
   * is chartkeeper's own (the default place); a folder the user chose keeps its rights, the file
   * itself being 0600 anyway.
   */
  private async ensureFolder(): Promise<void> {
    const folder = dirname(this.location);
    const existed = await stat(folder).then(
      () => true,
      () => false,
    );
    await mkdir(folder, { recursive: true, mode: 0o700 });
    if (!existed || basename(folder) === 'chartkeeper') await chmod(folder, 0o700);
  }

  private unreadable(why: string): ChartkeeperError {
    return new ChartkeeperError(
      'config',
      `the credentials file ${this.location} cannot be read: ${why}`,
      {
        hint: `Log in again with: ${LOGIN_COMMAND} (it replaces the file), or remove it with: chartkeeper auth logout`,
        permanent: true,
      },
    );
  }
}
