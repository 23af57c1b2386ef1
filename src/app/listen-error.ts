import { ChartkeeperError } from '../domain/errors.js';

// A module of its own: `auth login` needs it without loading the emulator.
/** A failure to listen, in words: a port in use or not ours to take, an address not here. */
export function listenError(error: unknown, host: string, port: number): unknown {
  const code = (error as { code?: unknown }).code;
  const where = `${host}:${port}`;
  if (code === 'EADDRINUSE') {
    return new ChartkeeperError('port-in-use', `Port ${port} on ${host} is already in use.`, {
      hint: `Stop whatever listens on ${where}, or choose another port (--port 0 takes any free one).`,
      permanent: true,
    });
  }
  if (code === 'EACCES') {
    return new ChartkeeperError('port-in-use', `Not allowed to listen on ${where}.`, {
      hint: 'Ports below 1024 need special rights; choose a port from 1024 up.',
      permanent: true,
    });
  }
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return new ChartkeeperError('usage', `${host} is not an address of this machine.`, {
      hint: 'Use 127.0.0.1 (this machine only) or 0.0.0.0 (every interface).',
      permanent: true,
    });
  }
  return error;
}
