import type { IncomingMessage } from 'node:http';
import { formatSize } from '../../policy/size.ts';
import { DataplaneError } from '../codes.ts';

/**
 * Reads the whole request body, refusing it as soon as it passes `max` bytes (a client announcing a
 * small Content-Length and sending more, or streaming without one, is cut off at the limit, so an
 * oversized body never sits in memory).
 */
export async function readBody(req: IncomingMessage, max: number): Promise<Buffer> {
  const tooLarge = () => new DataplaneError('request_too_large', `aigate: the request body is larger than this proxy's ${formatSize(max)} limit`);
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > max) {
    req.resume();
    throw tooLarge();
  }
  // Events rather than `for await`: an async iterator costs a promise per chunk on the hot path.
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) {
        req.off('data', onData);
        req.resume();
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks, size)));
    req.once('error', reject);
    req.once('close', () => reject(new DataplaneError('client_closed', 'aigate: the client closed the connection before sending its request')));
  });
}

/** Parses a provider request body: a JSON object, or a request_invalid error in the client's format. */
export function parseJsonObject(body: Buffer): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch {
    throw new DataplaneError('request_invalid', 'aigate: the request body is not valid JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new DataplaneError('request_invalid', 'aigate: the request body must be a JSON object');
  return value as Record<string, unknown>;
}
