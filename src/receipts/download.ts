// One receipt from Pleo's time-limited link to a temporary file: allow-listed hosts only (each redirect
// checked again, never followed elsewhere), connecting only to public addresses (checked as each
// connection resolves its host, unless the host is explicitly allowed as local), streamed through a guard that hashes it, checks its first
// bytes against the declared type and aborts the transfer as soon as the size cap is passed, within a
// deadline, retried on transient failures only.
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { Agent as HttpAgent, get as httpGet, type AgentOptions, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, get as httpsGet } from 'node:https';
import { isIP } from 'node:net';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import { SNIFF_BYTES, typeMismatch } from './file-types';
import { ReceiptError, megabytes } from './errors';
import type { ReceiptPolicy } from './policy';
import { InternalAddressError, isInternalAddress, publicOnlyLookup } from './addresses';

export interface Downloaded {
  sha256: string;
  size: number;
}

const MAX_REDIRECTS = 3;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const LOOPBACK = /^(127(\.\d{1,3}){3}|\[::1\]|localhost)$/;
/** Longest pause a server's Retry-After may ask for; longer outages are the activity's retries' business. */
const MAX_RETRY_AFTER_MS = 30_000;

const downloadFailure = (message: string, transient = false) =>
  new ReceiptError({ reasonType: 'receipt_download_failure', message }, transient);

/**
 * The link as a URL when it may be fetched: https on an allowed host, or plain http on an allowed
 * loopback host. Anything else is refused before any connection, so a crafted link cannot make the
 * worker reach internal addresses. Messages name the host, never the whole (secret-bearing) link.
 */
export function allowedUrl(raw: string, policy: ReceiptPolicy, label: string, via = ''): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw downloadFailure(`${label} has an invalid download link${via}; re-upload it in Pleo.`);
  }
  const host = url.host.toLowerCase();
  const allowed = policy.allowedHosts.some((h) => h.toLowerCase() === host);
  const secure = url.protocol === 'https:';
  const insecureOk =
    url.protocol === 'http:' &&
    LOOPBACK.test(url.hostname) &&
    (policy.allowInsecureHosts ?? []).some((h) => h.toLowerCase() === host);
  if (!allowed || !(secure || insecureOk)) {
    const what = allowed ? `${url.protocol.replace(':', '')} on ${host}` : `${host}`;
    throw downloadFailure(
      `${label} is hosted on ${what}${via}, which is not an allowed Pleo file location; it was not downloaded. Check the receipt host settings.`,
    );
  }
  return url;
}

export interface DownloadOptions {
  /** Temporary file to write. */
  path: string;
  /** Size cap in bytes. */
  limit: number;
  policy: ReceiptPolicy;
  /** How messages name the receipt (`Receipt 2 of 3 (image/png)`). */
  label: string;
  logger?: Logger;
  /** Called every few seconds while bytes arrive (and before each retry): lets an activity heartbeat. */
  onProgress?: () => void;
}

/** Longest quiet spell between two progress calls while a download is moving. */
const PROGRESS_EVERY_MS = 2_000;

export async function downloadReceipt(
  source: { url: string; type: string },
  options: DownloadOptions,
): Promise<Downloaded> {
  const { path, policy, label } = options;
  const url = allowedUrl(source.url, policy, label);
  for (let attempt = 0; ; attempt++) {
    try {
      return await attemptDownload(url, source.type, options);
    } catch (err) {
      const failure = asReceiptError(err, label, policy);
      if (!failure.transient || attempt >= policy.retries) {
        await rm(path, { force: true });
        throw failure;
      }
      options.logger?.info(
        { host: url.host, attempt: attempt + 1, reason: failure.message },
        'receipt download retried',
      );
      options.onProgress?.();
      const backoff = policy.retryDelayMs * 2 ** attempt;
      await sleep(Math.max(backoff, err instanceof StatusError ? err.retryAfterMs : 0));
    }
  }
}

class StatusError extends ReceiptError {
  constructor(
    failure: ReceiptError,
    readonly retryAfterMs: number,
  ) {
    super(failure.failure, failure.transient);
  }
}

class Timeout extends Error {}

async function attemptDownload(
  url: URL,
  declaredType: string,
  options: DownloadOptions,
): Promise<Downloaded> {
  const { path, limit, policy, label, onProgress } = options;
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new Timeout(`timed out after ${policy.timeoutMs / 1000} s`)),
    policy.timeoutMs,
  );
  try {
    const response = await fetchFollowingAllowed(url, controller.signal, policy, label);
    if (response.status !== 200) {
      response.body.destroy();
      throw statusError(response, label);
    }
    const contentType = response.header('content-type');
    const hash = createHash('sha256');
    let size = 0;
    let head = Buffer.alloc(0);
    let progressAt = Date.now();
    const checkType = () => {
      const mismatch = typeMismatch(declaredType, head, contentType);
      if (!mismatch) return undefined;
      // A receipt in another format than declared cannot be handled as what it claims to be; content
      // that is no receipt format at all (an error page) means the download itself went wrong.
      return new ReceiptError({
        reasonType: mismatch.otherReceiptFormat ? 'receipt_conversion_failure' : 'receipt_download_failure',
        message: `${label} is declared as ${declaredType} but ${mismatch.why}; re-upload the receipt in Pleo.`,
      });
    };
    const guard = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        size += chunk.length;
        if (size > limit) {
          return callback(
            new ReceiptError({
              reasonType: 'receipt_file_size_limit_exceeded',
              message: `${label} is larger than the ${megabytes(limit)} limit; reduce its size in Pleo and export again.`,
            }),
          );
        }
        if (head.length < SNIFF_BYTES) {
          head = Buffer.concat([head, chunk.subarray(0, SNIFF_BYTES - head.length)]);
          // Checked as soon as the signature is in, so a wrong file is not downloaded to the end.
          if (head.length === SNIFF_BYTES) {
            const mismatch = checkType();
            if (mismatch) return callback(mismatch);
          }
        }
        hash.update(chunk);
        if (onProgress && Date.now() - progressAt >= PROGRESS_EVERY_MS) {
          progressAt = Date.now();
          onProgress();
        }
        callback(null, chunk);
      },
      flush(callback) {
        callback(head.length < SNIFF_BYTES ? checkType() : undefined);
      },
    });
    await pipeline(response.body, guard, createWriteStream(path));
    // An empty file is no receipt: attaching it would hide that the receipt never arrived.
    if (size === 0)
      throw downloadFailure(
        `${label} could not be downloaded: the file Pleo served is empty; re-upload it in Pleo.`,
      );
    return { sha256: hash.digest('hex'), size };
  } catch (err) {
    // However the abort surfaced (from fetch or from the body stream), a deadline is reported as one.
    throw controller.signal.reason instanceof Timeout ? controller.signal.reason : err;
  } finally {
    clearTimeout(timer);
    controller.abort(); // closes the connection when the guard stopped the transfer early
  }
}

interface ReceiptResponse {
  status: number;
  header(name: string): string | null;
  body: IncomingMessage;
}

// Connections are kept open between downloads: a job's receipts mostly come from one host, and a new
// connection per file was a large share of a worker's time. Sockets opened through the public-only
// lookup are pooled apart from those to hosts allowed as local, so no socket opened under one rule
// is reused under the other; a reused socket goes to the address that was checked when it opened.
const KEEP_ALIVE: AgentOptions = { keepAlive: true, timeout: 5_000, scheduling: 'lifo' };
const PUBLIC_ONLY: AgentOptions = { ...KEEP_ALIVE, lookup: publicOnlyLookup() };
const AGENTS = {
  public: { http: new HttpAgent(PUBLIC_ONLY), https: new HttpsAgent(PUBLIC_ONLY) },
  local: { http: new HttpAgent(KEEP_ALIVE), https: new HttpsAgent(KEEP_ALIVE) },
};

/** One GET, its connection refused if the host resolves to an internal address (unless allowed as local). */
function get(url: URL, signal: AbortSignal, policy: ReceiptPolicy): Promise<ReceiptResponse> {
  const local = (policy.allowInsecureHosts ?? []).some((h) => h.toLowerCase() === url.host.toLowerCase());
  const literal = url.hostname.replace(/^\[|\]$/g, '');
  // An address written in the link is connected to without a lookup: check it here.
  if (!local && isIP(literal) && isInternalAddress(literal))
    return Promise.reject(new InternalAddressError(url.host, literal));
  const agents = local ? AGENTS.local : AGENTS.public;
  const [send, agent] = url.protocol === 'https:' ? [httpsGet, agents.https] : [httpGet, agents.http];
  return new Promise((resolve, reject) => {
    const request = send(url, { signal, agent }, (body) =>
      resolve({
        status: body.statusCode ?? 0,
        header: (name) => [body.headers[name.toLowerCase()] ?? null].flat()[0] ?? null,
        body,
      }),
    );
    request.on('error', reject);
  });
}

/** Follows redirects only to allowed locations, each checked like the original link. */
async function fetchFollowingAllowed(url: URL, signal: AbortSignal, policy: ReceiptPolicy, label: string) {
  for (let hop = 0; ; hop++) {
    const response = await get(url, signal, policy);
    if (!REDIRECTS.has(response.status)) return response;
    response.body.destroy();
    const location = response.header('location');
    if (!location || hop >= MAX_REDIRECTS) {
      throw downloadFailure(
        `${label} could not be downloaded: its link redirects ${location ? 'too often' : 'nowhere'}.`,
      );
    }
    url = allowedUrl(new URL(location, url).href, policy, label, ` (redirected from ${url.host})`);
  }
}

function statusError(response: ReceiptResponse, label: string): StatusError {
  const status = response.status;
  const transient = status === 408 || status === 429 || status >= 500;
  const expired = status === 403 || status === 404 || status === 410;
  const retryAfter = Number(response.header('retry-after'));
  return new StatusError(
    downloadFailure(
      expired
        ? `${label} could not be downloaded: its link has expired or was revoked (HTTP ${status}); export the item again to get a fresh link.`
        : `${label} could not be downloaded (HTTP ${status}${transient ? ', still failing after retries' : ''}); export the item again.`,
      transient,
    ),
    Number.isFinite(retryAfter) ? Math.min(retryAfter * 1000, MAX_RETRY_AFTER_MS) : 0,
  );
}

/** Receipt problems as they are; network errors and timeouts as transient download failures. */
function asReceiptError(err: unknown, label: string, policy: ReceiptPolicy): ReceiptError {
  if (err instanceof ReceiptError) return err;
  if (err instanceof InternalAddressError) {
    return downloadFailure(
      `${label} was not downloaded: its host ${err.host} resolves to ${err.address}, an internal address receipts may not come from. Check the receipt host settings.`,
    );
  }
  // Writing the temporary file failed (disk full, permissions): the worker's problem, not the receipt's.
  if ((err as NodeJS.ErrnoException).path) throw err;
  // Node's own messages name the address: "connect ECONNREFUSED 10.1.2.3:443".
  const why = (err as Error).message;
  return downloadFailure(
    `${label} could not be downloaded (${why}${policy.retries ? `, after ${policy.retries + 1} attempts` : ''}); export the item again.`,
    true,
  );
}
